"""Saved inbox views: keep the current filter with a name, remove one (confirmed)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaints import saved
from complaints.models import SavedView
from pcrm.org.access import SERVING_ROLES, staff_required


@staff_required(*SERVING_ROLES)
@require_POST
def view_save(request):
    query = request.POST.get("query", "")
    try:
        view = saved.saved_view_save(
            staff=request.staff,
            name=request.POST.get("name", ""),
            query=query,
            shared=bool(request.POST.get("shared")),
        )
    except saved.SavedViewError as error:
        messages.error(request, str(error))
        return redirect(f"/staff/complaints/?{saved.clean_query(query)}")
    messages.success(request, _("'%(name)s' 보기를 저장했습니다.") % {"name": view.name})
    return redirect(f"/staff/complaints/?{view.query}")


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def view_delete(request, pk):
    """Asks first; only the owner removes a view (a shared one goes for the team too)."""
    view = get_object_or_404(SavedView, pk=pk, owner=request.staff)
    if request.method == "POST":
        saved.saved_view_delete(staff=request.staff, view=view)
        messages.success(request, _("'%(name)s' 보기를 지웠습니다.") % {"name": view.name})
        return redirect("staff-inbox")
    return render(request, "complaints/view_delete.html", {"view": view})
