from django.urls import path, re_path

from citizens import letter_views, views

urlpatterns = [
    path("", views.citizen_list, name="citizen-list"),
    path("new/", views.citizen_create, name="citizen-create"),
    path("segments/", views.segment_overview, name="citizen-segments"),
    path("reviews/", views.reviews_due, name="citizen-reviews"),
    path("duplicates/", views.duplicates, name="citizen-duplicates"),
    path("merge/", views.merge, name="citizen-merge"),
    path("relationships/", views.relationship_list, name="relationship-list"),
    path("relationships/import/", views.relationship_import, name="relationship-import"),
    re_path(
        r"^relationships/export\.(?P<fmt>csv|xlsx)$",
        views.relationship_export,
        name="relationship-export",
    ),
    path("<int:pk>/", views.citizen_detail, name="citizen-detail"),
    path("<int:pk>/edit/", views.citizen_edit, name="citizen-edit"),
    path("<int:pk>/reveal/", views.citizen_reveal, name="citizen-reveal"),
    path("<int:pk>/flags/", views.flag_create, name="citizen-flag-create"),
    path("<int:pk>/relationship/", views.relationship_edit, name="relationship-edit"),
    path("flags/<int:pk>/clear/", views.flag_clear, name="flag-clear"),
    path("flags/<int:pk>/review/", views.flag_review, name="flag-review"),
    path("letters/", letter_views.letter_list, name="e-letter-list"),
    path("letters/new/", letter_views.letter_edit, name="e-letter-new"),
    path("letters/<int:pk>/", letter_views.letter_detail, name="e-letter-detail"),
    path("letters/<int:pk>/edit/", letter_views.letter_edit, name="e-letter-edit"),
    path("letters/<int:pk>/schedule/", letter_views.letter_schedule, name="e-letter-schedule"),
    path("letters/<int:pk>/cancel/", letter_views.letter_cancel, name="e-letter-cancel"),
    path("letters/<int:pk>/delete/", letter_views.letter_delete, name="e-letter-delete"),
]
