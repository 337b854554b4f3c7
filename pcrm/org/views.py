from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from pcrm.org import home, selectors
from pcrm.org.access import get_for_user, staff_required
from pcrm.org.forms import StaffLoginForm
from pcrm.org.models import Team


class LoginView(auth_views.LoginView):
    form_class = StaffLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@staff_required()
def staff_home(request):
    landing = home.landing_for(request.staff)
    if landing and "home" not in request.GET:  # ?home shows the shortcuts page anyway
        return redirect(landing)
    return render(
        request,
        "staff/home.html",
        {"staff": request.staff, "shortcuts": home.shortcuts_for(request)},
    )


@staff_required()
def team_detail(request, pk):
    team = get_for_user(
        request.user, Team, pk=pk, queryset=Team.objects.select_related("department", "leader")
    )
    page = Paginator(selectors.team_members(request.user, team), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "org/team_detail.html", {"team": team, "page": page})
