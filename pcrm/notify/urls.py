from django.urls import path

from pcrm.notify import views

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("read/", views.notifications_read, name="notifications-read"),
]
