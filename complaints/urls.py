from django.urls import path

from complaints import faq_views, library_views, mine_views, note_views, view_pages, views

public_urlpatterns = [
    path("new/", views.public_file, name="complaint-new"),
    path("receipt/<str:secret>/", views.receipt, name="complaint-receipt"),
    path("track/", views.track, name="complaint-track"),
    path("mine/", mine_views.mine_start, name="complaint-mine"),
    path("mine/code/", mine_views.mine_code, name="complaint-mine-code"),
    path("mine/list/", mine_views.mine_list, name="complaint-mine-list"),
    path("mine/end/", mine_views.mine_end, name="complaint-mine-end"),
    path("track/<str:secret>/", views.track_secret, name="complaint-track-secret"),
    path("track/<str:secret>/withdraw/", views.track_withdraw, name="complaint-track-withdraw"),
    path(
        "track/<str:secret>/supplement/",
        views.track_supplement,
        name="complaint-track-supplement",
    ),
    path("track/<str:secret>/notice/", views.track_notice, name="complaint-track-notice"),
    path(
        "track/<str:secret>/files/<int:pk>/",
        views.track_attachment,
        name="complaint-track-attachment",
    ),
]

staff_urlpatterns = [
    path("", views.inbox, name="staff-inbox"),
    path("export.xlsx", views.inbox_export, name="staff-inbox-export"),
    path("views/", view_pages.view_save, name="staff-view-save"),
    path("views/<int:pk>/delete/", view_pages.view_delete, name="staff-view-delete"),
    path("assign/", views.bulk_assign, name="staff-bulk-assign"),
    path("today/", views.today_board, name="staff-board"),
    path("new/", views.staff_register, name="staff-complaint-new"),
    path("<int:pk>/act/<slug:action>/", views.act, name="staff-complaint-act"),
    path("<int:pk>/", views.staff_detail, name="staff-complaint-detail"),
    path("<int:pk>/similar/", views.similar, name="staff-complaint-similar"),
    path("<int:pk>/notes/", note_views.note_add, name="staff-complaint-note"),
    path("<int:pk>/colleagues/", note_views.colleagues, name="staff-complaint-colleagues"),
    path("<int:pk>/library/", library_views.search, name="staff-complaint-library"),
    path(
        "<int:pk>/library/<int:item>/used/",
        library_views.used,
        name="staff-complaint-library-used",
    ),
    path("files/<int:pk>/", views.staff_attachment, name="staff-complaint-attachment"),
    path("<int:pk>/qa/", faq_views.qa_propose, name="qa-propose"),
]

qa_staff_urlpatterns = [
    path("", faq_views.qa_review, name="qa-review"),
    path("<int:pk>/decide/", faq_views.qa_decide, name="qa-decide"),
    path("books/", faq_views.book_list, name="qa-books"),
    path("books/compile/", faq_views.book_compile, name="qa-book-compile"),
    path("books/<str:period>/", faq_views.book_detail, name="qa-book"),
]

library_urlpatterns = [
    path("", library_views.library_page, name="answer-library"),
    path("<int:item>/approve/", library_views.approve, name="answer-library-approve"),
]
