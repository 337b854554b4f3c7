"""The team leader's dashboard and the scorecard pages: the ranking, a team's card, equity
and the weights."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from pcrm.lib.periods import Period
from pcrm.lib.spreadsheet import download
from pcrm.org.access import SERVING_ROLES, get_for_user, staff_required, visible_to
from pcrm.org.home import shortcuts_for
from pcrm.org.models import Team
from scorecards import equity, indicators, selectors
from scorecards.dashboard import dashboard
from scorecards.exports import scorecard_xlsx
from scorecards.forms import WeightsForm

# --- scorecards and the dashboard --------------------------------------------------------------

PERIOD_KINDS = {
    "month": gettext_lazy("월"),
    "quarter": gettext_lazy("분기"),
    "half": gettext_lazy("반기"),
}


def _period_choice(request) -> dict:
    """The period picker's context: the kind (month/quarter/half), the stored periods of
    that kind, and the one chosen by ``?period=`` (else the newest)."""
    requested = request.GET.get("period", "")
    try:
        kind = Period.parse(requested).kind
    except ValueError:
        kind = request.GET.get("kind", "month")
        kind = kind if kind in PERIOD_KINDS else "month"
    codes = selectors.periods(kind)
    # asked for one, else the newest with a score to show (a month just begun has little)
    period = requested if requested in codes else selectors.newest_scored(kind, codes)
    return {
        "kind": kind,
        "kinds": list(PERIOD_KINDS.items()),
        "period": period,
        "period_label": Period.parse(period).label if period else "",
        "choices": [(code, Period.parse(code).label) for code in codes],
    }


@staff_required("team_leader")
def dashboard_view(request):
    context = dashboard(request.user, request.staff)
    context["shortcuts"] = shortcuts_for(request)  # the staff home's, for leaders land here
    return render(request, "scorecards/dashboard.html", context)


@staff_required("team_leader", "cs_admin")
def scorecard_org(request):
    picker = _period_choice(request)
    period = picker["period"]
    rows, organisation = (
        selectors.organisation_scores(request.user, period) if period else ([], None)
    )
    scored = [row for row in rows if row.composite is not None]
    context = {
        **picker,
        "rows": rows,
        # every team is ranked here; a team's own card opens to whom the checkpoint allows
        "openable": set(visible_to(request.user, Team).values_list("pk", flat=True)),
        "organisation": organisation,
        "departments": selectors.departments(rows),
        "chart": selectors.chart([row.team.name for row in scored], scored),
    }
    return render(request, "scorecards/scorecard_org.html", context)


@staff_required("cs_admin")
def scorecard_export(request):
    period = _period_choice(request)["period"]
    rows, organisation = (
        selectors.organisation_scores(request.user, period) if period else ([], None)
    )
    content = scorecard_xlsx(period, rows, organisation)
    return download(content, f"scorecards-{period or 'none'}.xlsx")


@staff_required(*SERVING_ROLES)
def scorecard_team(request, pk):
    team = get_for_user(
        request.user, Team, pk=pk, queryset=Team.objects.select_related("department")
    )
    picker = _period_choice(request)
    period = picker["period"]
    trend = selectors.team_trend(request.user, team.pk, period) if period else []
    card = trend[-1] if trend and trend[-1].period == period else None
    context = {
        **picker,
        "team": team,
        "card": card,
        "groups": selectors.shown(card.values) if card else [],
        "trend": trend,
        "chart": selectors.chart([row.period_label for row in trend], trend),
        "handled": selectors.handled_counts(team.pk, period) if period else {},
    }
    return render(request, "scorecards/scorecard_team.html", context)


@staff_required("team_leader", "cs_admin")
def equity_view(request):
    picker = _period_choice(request)
    period = picker["period"]
    context = {
        **picker,
        "dimensions": equity.equity(Period.parse(period)) if period else [],
        "min_n": equity.EQUITY_MIN_N,
    }
    return render(request, "scorecards/equity.html", context)


@staff_required("cs_admin")
@require_http_methods(["GET", "POST"])
def scorecard_weights(request):
    current = indicators.weights()
    form = WeightsForm(indicators.INDICATORS, current, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicators.weights_save(staff=request.staff, values=form.values())
        except indicators.WeightError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("가중치를 저장했습니다. 다음 집계(15분 안)부터 반영됩니다.")
            )
            return redirect("scorecard-org")
    return render(request, "scorecards/scorecard_weights.html", {"form": form})
