from django.urls import path

from surveys import views

public_urlpatterns = [
    path("thanks/", views.thanks, name="survey-thanks"),
    path("<str:token>/", views.respond, name="survey-respond"),
]

staff_urlpatterns = [
    path("surveys/", views.campaign_list, name="campaign-list"),
    path("surveys/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("surveys/<int:pk>/results.xlsx", views.campaign_export, name="campaign-export"),
    path("surveys/<int:pk>/invite/", views.campaign_invite, name="campaign-invite"),
    path("calls/", views.call_list, name="call-list"),
    path("calls/<int:pk>/", views.call_detail, name="call-detail"),
    path("calls/<int:pk>/reveal/", views.call_reveal, name="call-reveal"),
    path("courtesy/", views.courtesy_list, name="courtesy-list"),
    path("courtesy/new/", views.courtesy_new, name="courtesy-new"),
    path("courtesy/<int:pk>/", views.courtesy_detail, name="courtesy-detail"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview-detail"),
]
