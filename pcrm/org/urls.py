from django.urls import path

from pcrm.org import views

urlpatterns = [
    path("", views.staff_home, name="staff-home"),
    path("teams/<int:pk>/", views.team_detail, name="team-detail"),
]
