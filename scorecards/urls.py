from django.urls import path

from scorecards import views

staff_urlpatterns = [
    path("dashboard/", views.dashboard_view, name="staff-dashboard"),
    path("scorecards/", views.scorecard_org, name="scorecard-org"),
    path("scorecards/export.xlsx", views.scorecard_export, name="scorecard-export"),
    path("scorecards/equity/", views.equity_view, name="scorecard-equity"),
    path("scorecards/weights/", views.scorecard_weights, name="scorecard-weights"),
    path("scorecards/teams/<int:pk>/", views.scorecard_team, name="scorecard-team"),
]
