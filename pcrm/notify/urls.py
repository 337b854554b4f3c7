from django.urls import path

from pcrm.notify import views

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("read/", views.notifications_read, name="notifications-read"),
    path("costs/", views.costs, name="notify-costs"),
]

hook_urlpatterns = [
    path("<slug:channel>/<str:token>/", views.receipt_hook, name="notify-receipt-hook"),
]
