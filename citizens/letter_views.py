"""E-letter pages: compose with preview, schedule, the send log, and the public
unsubscribe page (no login; the change needs a POST)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from citizens import letters
from citizens.forms import LetterForm, ScheduleForm
from citizens.models import ELetter, ELetterRecipient
from pcrm.lib.ratelimit import limit_secret_guesses
from pcrm.org.access import get_for_user, staff_required, visible_to


@staff_required("team_leader", "cs_admin")
def letter_list(request):
    rows = visible_to(request.user, ELetter).select_related("signed_by")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "citizens/letters.html", {"page": page})


@staff_required("team_leader", "cs_admin")
@require_http_methods(["GET", "POST"])
def letter_edit(request, pk=None):
    letter = get_for_user(request.user, ELetter, for_change=True, pk=pk) if pk else None
    initial = (
        {"title": letter.title, "body": letter.body, "audience": letter.audience, **letter.segment}
        if letter
        else {}
    )
    form = LetterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            letter = letters.letter_save(staff=request.staff, letter=letter, **form.letter_data())
        except letters.LetterError as error:
            form.add_error(None, str(error))
        else:
            return redirect("e-letter-detail", pk=letter.pk)
    return render(request, "citizens/letter_form.html", {"form": form, "letter": letter})


@staff_required("team_leader", "cs_admin")
def letter_detail(request, pk):
    letter = get_for_user(
        request.user, ELetter, pk=pk, queryset=ELetter.objects.select_related("signed_by__team")
    )
    return _detail(request, letter, None)


def _detail(request, letter, schedule_form, *, status=200):
    context = {"letter": letter}
    if letter.status == ELetter.Status.DRAFT:
        audience = letters.recipients(letter)
        context["count"] = audience.count()
        context["schedule_form"] = schedule_form or ScheduleForm(
            initial={"expected": context["count"]}
        )
        sample = audience.first()
        context["preview"] = (
            letters.render_for(letter, sample, masked=True) if sample else letter.body
        )
        context["sample"] = sample
    else:
        log = (
            ELetterRecipient.objects.filter(letter=letter)
            .select_related("citizen", "message")
            .order_by("pk")
        )
        context["log"] = Paginator(log, 50).get_page(request.GET.get("page"))
    return render(request, "citizens/letter_detail.html", context, status=status)


@staff_required("team_leader", "cs_admin")
@require_POST
def letter_schedule(request, pk):
    letter = get_for_user(request.user, ELetter, for_change=True, pk=pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            letters.letter_schedule(
                staff=request.staff,
                letter=letter,
                at=form.cleaned_data["at"] or timezone.now(),
                expected=form.cleaned_data["expected"],
            )
        except letters.LetterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "발송을 예약했습니다. 예약 시각부터 몇 분 안에 나갑니다. "
                    "그 전에는 취소할 수 있습니다."
                ),
            )
            return redirect("e-letter-detail", pk=letter.pk)
    letter.refresh_from_db()
    return _detail(request, letter, form, status=400)


@staff_required("team_leader", "cs_admin")
@require_POST
def letter_cancel(request, pk):
    letter = get_for_user(request.user, ELetter, for_change=True, pk=pk)
    try:
        letters.letter_cancel(staff=request.staff, letter=letter)
    except letters.LetterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("예약을 취소했습니다. 초안으로 돌아갔습니다."))
    return redirect("e-letter-detail", pk=letter.pk)


@staff_required("team_leader", "cs_admin")
@require_http_methods(["GET", "POST"])
def letter_delete(request, pk):
    """GET asks to confirm; POST deletes the draft."""
    letter = get_for_user(request.user, ELetter, for_change=True, pk=pk)
    if request.method == "POST":
        try:
            letters.letter_delete(staff=request.staff, letter=letter)
        except letters.LetterError as error:
            messages.error(request, str(error))
            return redirect("e-letter-detail", pk=letter.pk)
        messages.success(request, _("초안을 지웠습니다: %(title)s") % {"title": letter.title})
        return redirect("e-letter-list")
    return render(request, "citizens/letter_delete.html", {"letter": letter})


@limit_secret_guesses
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    citizen = letters.citizen_for_token(token)
    if citizen is None:
        return render(request, "citizens/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        letters.unsubscribe(citizen)
        done = True
    return render(request, "citizens/unsubscribe.html", {"done": done})
