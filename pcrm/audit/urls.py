from django.urls import path

from pcrm.audit import views

urlpatterns = [
    path("access-log/", views.access_log, name="access-log"),
    path("access-log/export.xlsx", views.access_log_export, name="access-log-export"),
]
