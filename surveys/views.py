from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from citizens.forms import RevealForm
from citizens.services import citizen_reveal
from pcrm.lib import querystring
from pcrm.lib.ratelimit import limit_secret_guesses
from pcrm.lib.spreadsheet import download
from pcrm.org.access import SERVING_ROLES, get_for_user, staff_required
from surveys import access as surveys_access
from surveys import calls, courtesy, selectors, services
from surveys.exports import results_xlsx
from surveys.forms import CallAttemptForm, CourtesyForm, InterviewForm, SurveyForm
from surveys.models import Call, Campaign, CourtesyEvaluation, LeaderInterview

# --- the public response page --------------------------------------------------------------------


@never_cache
@limit_secret_guesses
@require_http_methods(["GET", "POST"])
def respond(request, token):
    try:
        invitation = selectors.invitation_for(token)
    except services.SurveyError as error:
        return render(request, "surveys/closed.html", {"message": error}, status=410)
    campaign = invitation.campaign
    form = SurveyForm(selectors.questions_of(campaign), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(token=token, answers=form.answers())
        except services.SurveyError as error:
            return render(request, "surveys/closed.html", {"message": error}, status=409)
        return redirect("survey-thanks")
    context = {"form": form, "campaign": campaign, "team": invitation.team}
    return render(request, "surveys/respond.html", context)


def thanks(request):
    return render(request, "surveys/thanks.html")


# --- campaign results ----------------------------------------------------------------------------


@staff_required(*SERVING_ROLES)
def campaign_list(request):
    page = Paginator(selectors.campaign_list(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "surveys/campaign_list.html", {"page": page})


@staff_required(*SERVING_ROLES)
def campaign_detail(request, pk):
    campaign = get_for_user(request.user, Campaign, pk=pk)
    results = selectors.campaign_results(campaign)
    context = {
        "campaign": campaign,
        "results": results,
        "chart": selectors.results_chart(results),
        "min_group": selectors.MIN_GROUP,
        "can_invite": request.staff.role == "cs_admin"
        and campaign.kind in services.TEAM_SURVEY_KINDS,
    }
    return render(request, "surveys/campaign_detail.html", context)


@staff_required(*SERVING_ROLES)
def campaign_export(request, pk):
    campaign = get_for_user(request.user, Campaign, pk=pk)
    content = results_xlsx(campaign, selectors.campaign_results(campaign))
    return download(content, f"survey-{campaign.pk}-results.xlsx")


@staff_required("cs_admin")
@require_http_methods(["GET", "POST"])
def campaign_invite(request, pk):
    campaign = get_for_user(request.user, Campaign, for_change=True, pk=pk)
    if request.method == "POST":
        try:
            created = services.campaign_invite(staff=request.staff, campaign=campaign)
        except services.SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(n)d건의 조사 안내를 보냈습니다.") % {"n": created})
        return redirect("campaign-detail", pk=campaign.pk)
    return render(request, "surveys/campaign_invite.html", {"campaign": campaign})


# --- calls -------------------------------------------------------------------------------------

CALL_TAB_LABELS = {
    "mine": gettext_lazy("내 통화 과제"),
    "team": gettext_lazy("우리 팀 진행 중"),
    "catch": gettext_lazy("오늘의 캐치콜"),
    "closed": gettext_lazy("끝난 통화"),
}


@staff_required(*SERVING_ROLES)
def call_list(request):
    tab = request.GET.get("tab", "mine")
    if tab not in selectors.CALL_TABS:
        tab = "mine"
    page = Paginator(selectors.call_list(request.user, tab=tab), 25).get_page(
        request.GET.get("page")
    )
    context = {
        "tab": tab,
        "tabs": list(CALL_TAB_LABELS.items()),
        "page": page,
        "query": querystring.without(request, "page"),
    }
    return render(request, "surveys/call_list.html", context)


def _call(request, pk) -> Call:
    return get_for_user(
        request.user,
        Call,
        queryset=Call.objects.select_related("citizen", "complaint", "team", "campaign"),
        pk=pk,
    )


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def call_detail(request, pk):
    call = _call(request, pk)
    questions = selectors.questions_of(call.campaign) if call.campaign else []
    form = CallAttemptForm(questions, request.POST or None)
    if request.method == "POST":
        get_for_user(request.user, Call, for_change=True, pk=pk)  # 403 unless one may call
        if form.is_valid():
            attempt = calls.Attempt(
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                answers=form.answers(),
                intent_note=form.cleaned_data["intent_note"],
            )
            try:
                calls.call_attempt(staff=request.staff, call=call, attempt=attempt)
            except services.SurveyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("통화 결과를 기록했습니다."))
                return redirect("call-detail", pk=call.pk)
    calls.call_viewed(staff=request.staff, call=call)
    return _call_page(request, call, form)


def _call_page(request, call, form, *, revealed=None, reveal_form=None):
    context = {
        "call": call,
        "form": form,
        "attempts": list(selectors.call_attempts(call)),
        "can_work": surveys_access.can_work_call(request.staff, call),
        "in_hours": calls.in_calling_hours(timezone.now()),
        "revealed": revealed,
        "reveal_form": reveal_form
        or RevealForm(initial={"purpose": _("%(kind)s 통화") % {"kind": call.get_kind_display()}}),
    }
    return render(request, "surveys/call_detail.html", context)


@staff_required(*SERVING_ROLES)
@require_POST
def call_reveal(request, pk):
    """The citizen's number, unmasked for this one page, with the reason in the access
    log: the same rule (and service) as the citizen's 360° page."""
    call = _call(request, pk)
    get_for_user(request.user, Call, for_change=True, pk=pk)  # only who may make the call
    reveal_form = RevealForm(request.POST)
    revealed = None
    if reveal_form.is_valid():
        revealed = citizen_reveal(
            staff=request.staff, citizen=call.citizen, purpose=reveal_form.cleaned_data["purpose"]
        )
    questions = selectors.questions_of(call.campaign) if call.campaign else []
    form = CallAttemptForm(questions)
    return _call_page(request, call, form, revealed=revealed, reveal_form=reveal_form)


# --- phone courtesy and interviews ------------------------------------------------------------


@staff_required(*SERVING_ROLES)
def courtesy_list(request):
    page = Paginator(selectors.evaluation_list(request.user), 25).get_page(request.GET.get("page"))
    interviews = selectors.interview_list(request.user).filter(held_on__isnull=True)[:50]
    context = {
        "page": page,
        "interviews": interviews,
        "can_evaluate": request.staff.role == "cs_admin",
    }
    return render(request, "surveys/courtesy_list.html", context)


@staff_required("cs_admin")
@require_http_methods(["GET", "POST"])
def courtesy_new(request):
    sheet = courtesy.default_sheet()
    if sheet is None:
        messages.error(
            request, _("사용 중인 전화친절도 평가표가 없습니다. 설정 관리에서 평가표를 켜 주세요.")
        )
        return redirect("courtesy-list")
    form = CourtesyForm(sheet.items.all(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = courtesy.courtesy_evaluate(
                evaluator=request.staff,
                staff=form.cleaned_data["staff"],
                sheet=sheet,
                evaluated_on=form.cleaned_data["evaluated_on"],
                scenario=form.cleaned_data["scenario"],
                points=form.points(),
                notes=form.cleaned_data["notes"],
            )
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("평가를 기록했습니다."))
            return redirect("courtesy-detail", pk=evaluation.pk)
    return render(request, "surveys/courtesy_form.html", {"form": form, "sheet": sheet})


@staff_required(*SERVING_ROLES)
def courtesy_detail(request, pk):
    evaluation = get_for_user(
        request.user,
        CourtesyEvaluation,
        queryset=CourtesyEvaluation.objects.select_related("staff__team", "evaluator", "sheet"),
        pk=pk,
    )
    context = {
        "evaluation": evaluation,
        "scores": selectors.evaluation_scores(evaluation),
        "interview": LeaderInterview.objects.filter(evaluation=evaluation).first(),
    }
    return render(request, "surveys/courtesy_detail.html", context)


@staff_required("team_leader", "cs_admin")
@require_http_methods(["GET", "POST"])
def interview_detail(request, pk):
    interview = get_for_user(
        request.user,
        LeaderInterview,
        queryset=LeaderInterview.objects.select_related("staff", "leader", "evaluation"),
        pk=pk,
    )
    initial = {
        "held_on": interview.held_on or timezone.localdate(),
        "content": interview.content,
        "actions": interview.actions,
        "reevaluation_on": interview.reevaluation_on,
    }
    form = InterviewForm(request.POST or None, initial=initial)
    if request.method == "POST":
        interview = get_for_user(request.user, LeaderInterview, for_change=True, pk=pk)
        if form.is_valid():
            try:
                courtesy.interview_record(
                    staff=request.staff, interview=interview, **form.cleaned_data
                )
            except services.SurveyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("면담 기록을 저장했습니다."))
                return redirect("courtesy-detail", pk=interview.evaluation_id)
    return render(request, "surveys/interview_form.html", {"interview": interview, "form": form})
