from complaints.models import Complaint, Event


def public_history(complaint: Complaint):
    return Event.objects.filter(complaint=complaint, public=True).order_by("at", "id")


def history(complaint: Complaint):
    return Event.objects.filter(complaint=complaint).select_related("staff").order_by("at", "id")
