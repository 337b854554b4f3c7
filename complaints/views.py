import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from citizens.access import can_see_flags
from citizens.services import record_download
from complaints import faq, saved, selectors, services, tracking, workflow
from complaints.access import can_note, mention_reads
from complaints.actions import ACTIONS, FORMS
from complaints.forms import (
    AnswerForm,
    AssignForm,
    CallForm,
    ComplaintForm,
    InboxFilterForm,
    InternalNoteForm,
    NoteForm,
    StaffComplaintForm,
)
from complaints.models import Attachment, Complaint, Event
from complaints.public_forms import SupplementReplyForm, TrackForm, WithdrawForm
from pcrm.audit.models import AccessLog
from pcrm.audit.services import record_access
from pcrm.lib import querystring
from pcrm.lib.db import UNAVAILABLE
from pcrm.lib.net import client_ip
from pcrm.lib.ratelimit import allow, forgive, limit_secret_guesses, too_many
from pcrm.lib.spreadsheet import XLSX
from pcrm.notify.selectors import messages_about
from pcrm.org.access import SERVING_ROLES, get_for_user, serves, staff_required, visible_to
from pcrm.org.calendar import organisation_calendar


def _rate_limited(request, scope: str, limit: int) -> bool:
    return not allow(
        f"{scope}:{client_ip(request)}", limit=limit, window=settings.RATE_LIMIT_WINDOW
    )


@never_cache
@require_http_methods(["GET", "POST"])
def public_file(request):
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        # only filings accepted count toward the limit: an attempt is counted first (so
        # the limit holds under parallel requests) and taken back if the form goes back
        # to the citizen, or a retry finds the filing made before
        key, window = f"file:{client_ip(request)}", settings.RATE_LIMIT_WINDOW
        if not allow(key, limit=settings.FILING_RATE_LIMIT, window=window):
            forgive(key, window=window)
            return too_many(request, "complaints/public_form.html", {"form": form})
        created = False
        try:
            if form.is_valid():
                _complaint, secret, created = services.complaint_file(form.filing())
                return redirect("complaint-receipt", secret=secret)
        except UNAVAILABLE:
            return _held(request)
        finally:
            if not created:
                forgive(key, window=window)
    return render(request, "complaints/public_form.html", {"form": form})


HELD_RETRY_AFTER = 15  # seconds: about what a PostgreSQL restart takes


def _held(request):
    """The database could not be reached while filing (a restart): the filing was rolled
    back, or, if it was written after all, its submission key finds it again. What the
    citizen typed comes back on a page that needs no database, ready to send again."""
    fields = [
        (name, value)
        for name in request.POST
        if name != "csrfmiddlewaretoken"
        for value in request.POST.getlist(name)
    ]
    if not request.POST.get("submission_key"):
        fields.append(("submission_key", str(uuid.uuid4())))
    context = {
        "fields": fields,
        "title": request.POST.get("title", ""),
        "body": request.POST.get("body", ""),
        "had_files": bool(request.FILES),
        "retry_after": HELD_RETRY_AFTER,
    }
    response = render(request, "complaints/public_form_held.html", context, status=503)
    response["Retry-After"] = str(HELD_RETRY_AFTER)
    return response


@never_cache
@limit_secret_guesses
def receipt(request, secret):
    complaint = _tracked(secret)
    return render(
        request,
        "complaints/receipt.html",
        {
            "complaint": complaint,
            "tracking_url": request.build_absolute_uri(
                reverse("complaint-track-secret", args=[secret])
            ),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    form = TrackForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        if _rate_limited(request, "track", settings.TRACKING_RATE_LIMIT):
            return too_many(request, "complaints/track_form.html", context)
        if form.is_valid():
            number = form.cleaned_data["receipt_number"].strip()
            # guessing the four digits of one receipt from many addresses is limited too
            if not allow(
                f"track-number:{number}",
                limit=settings.TRACKING_RATE_LIMIT,
                window=settings.RATE_LIMIT_WINDOW,
            ):
                return too_many(request, "complaints/track_form.html", context)
            complaint = selectors.find_for_tracking(number, form.cleaned_data["phone_last4"])
            if complaint is not None:
                return redirect("complaint-track-secret", secret=complaint.tracking_secret)
            context["not_found"] = True
    return render(request, "complaints/track_form.html", context)


def _tracked(secret: str) -> Complaint:
    complaint = selectors.find_by_secret(secret)
    if complaint is None:
        raise Http404
    return complaint


def _track_context(complaint, secret, supplement_form=None) -> dict:
    """What the tracking page and the printable result notice show."""
    pending = workflow.open_supplement_request(complaint)
    if pending is not None and supplement_form is None:
        supplement_form = SupplementReplyForm(initial={"pause": pending.pk})
    return {
        "complaint": complaint,
        "secret": secret,
        "events": selectors.public_history(complaint),
        "attachments": complaint.attachments.all(),
        "answer": complaint.answers.first() if complaint.status in {"answered", "closed"} else None,
        # the requests answered or over (the one open now has its own panel)
        "supplements": [p for p in selectors.supplement_requests(complaint) if p != pending],
        "pending_supplement": pending,
        "supplement_form": supplement_form if pending is not None else None,
        "links": tracking.links_for(complaint),
    }


@never_cache
@limit_secret_guesses
def track_secret(request, secret):
    complaint = _tracked(secret)
    return render(request, "complaints/track_detail.html", _track_context(complaint, secret))


@never_cache
@limit_secret_guesses
@require_POST
def track_supplement(request, secret):
    """The citizen's answer to a supplement request: on the complaint, the clock running
    again, the new deadline shown at once; what they typed stays if something is wrong."""
    complaint = _tracked(secret)
    form = SupplementReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            _reply, replied_now = workflow.supplement_reply(
                complaint=complaint,
                pause_id=form.cleaned_data["pause"],
                text=form.cleaned_data["text"],
                attachments=form.cleaned_data["attachments"],
            )
        except workflow.TransitionError as error:
            form.add_error(None, str(error))
        else:
            complaint.refresh_from_db()
            due = formats.date_format(timezone.localtime(complaint.due_at), "Y년 n월 j일(D) H:i")
            if replied_now:
                messages.success(
                    request,
                    _(
                        "보완 자료를 받았습니다. 처리를 다시 시작하며, "
                        "답변 예정은 %(due)s까지입니다."
                    )
                    % {"due": due},
                )
            else:
                messages.info(request, _("이 보완 요청에는 이미 답하셨습니다."))
            return redirect("complaint-track-secret", secret=secret)
    context = _track_context(complaint, secret, supplement_form=form)
    return render(request, "complaints/track_detail.html", context)


@never_cache
@limit_secret_guesses
def track_notice(request, secret):
    """민원 처리결과 통지서 (제27조): the answer as a page to print or save."""
    complaint = _tracked(secret)
    context = _track_context(complaint, secret)
    if context["answer"] is None:
        raise Http404
    return render(request, "complaints/track_notice.html", context)


@never_cache
@limit_secret_guesses
@require_http_methods(["GET", "POST"])
def track_withdraw(request, secret):
    """취하 from the tracking page: a reason and a confirmation first."""
    complaint = _tracked(secret)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.withdraw_by_citizen(complaint=complaint, reason=form.cleaned_data["reason"])
        except workflow.TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("민원을 취하했습니다. 담당 부서에 바로 알렸습니다."))
            return redirect("complaint-track-secret", secret=secret)
    context = {"complaint": complaint, "secret": secret, "form": form}
    return render(request, "complaints/track_withdraw.html", context)


def _download(attachment: Attachment):
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@never_cache
@limit_secret_guesses
def track_attachment(request, secret, pk):
    complaint = _tracked(secret)
    return _download(get_object_or_404(Attachment, pk=pk, complaint=complaint))


@staff_required("staff", "team_leader", "cs_admin")
@require_http_methods(["GET", "POST"])
def staff_register(request):
    form = StaffComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and serves(request.staff):
        complaint, _secret, created = services.complaint_file(
            form.filing(
                channel=form.cleaned_data["channel"],
                staff=request.staff,
                consent_source=form.cleaned_data["channel"],
            )
        )
        if created:
            messages.success(
                request,
                _("민원을 접수했습니다. 접수번호 %(number)s")
                % {"number": complaint.receipt_number},
            )
        return redirect("staff-complaint-detail", pk=complaint.pk)
    return render(request, "complaints/staff_form.html", {"form": form})


@staff_required("staff", "team_leader", "cs_admin")
def staff_attachment(request, pk):
    attachment = get_for_user(
        request.user, Attachment, pk=pk, queryset=Attachment.objects.select_related("complaint")
    )
    record_download(
        staff=request.staff, citizen_id=attachment.complaint.citizen_id, what=attachment
    )
    return _download(attachment)


def _inbox_request(request):
    """The tab, the filter form and the filters an inbox address asks for."""
    tab = request.GET.get("tab", "mine")
    if tab not in selectors.TABS:
        tab = "mine"
    form = InboxFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.InboxFilters(
        category=data["category"].pk if data.get("category") else None,
        status=data.get("status", ""),
        channel=data.get("channel", ""),
        vulnerable=bool(data.get("vulnerable")),
        q=data.get("q", ""),
        due=data.get("due", ""),
    )
    return tab, form, filters


@staff_required(*SERVING_ROLES)
def inbox(request):
    tab, form, filters = _inbox_request(request)
    # a receipt number is looked up whatever the tab (closed complaints too): typing
    # one is asking for that complaint
    found = selectors.receipt_lookup(request.user, filters.q)
    if found is not None:
        url = reverse("staff-complaint-detail", args=[found])
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    now = timezone.now()
    counts = selectors.tab_counts(request.user, now=now)
    paginator = Paginator(selectors.inbox(request.user, tab=tab, filters=filters, now=now), 25)
    if filters == selectors.InboxFilters():
        paginator.count = counts[tab]  # the tab's count is the list's: no second COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.inbox_rows(page, calendar=organisation_calendar(), now=now)

    context = {
        "tab": tab,
        "tabs": [(key, TAB_LABELS[key], counts[key]) for key in selectors.TABS],
        "selects": [
            (
                form[name],
                [("", _("전체"))] + [(str(v), str(label)) for v, label in choices],
                str(form[name].value() or ""),  # the option chosen
            )
            for name, choices in (
                ("category", form.fields["category"].queryset.values_list("pk", "name")),
                ("status", form.fields["status"].choices[1:]),
                ("channel", form.fields["channel"].choices[1:]),
                ("due", form.fields["due"].choices[1:]),
            )
        ],
        "counts": counts,
        "form": form,
        "page": page,
        "rows": rows,
        "query": querystring.without(request, "page"),
        "tab_query": querystring.without(request, "page", "tab"),
        "sees_flags": can_see_flags(request.staff),
        "can_assign": request.staff.role == "team_leader",
        "presets": saved.PRESETS,
    }
    if request.headers.get("HX-Request"):  # the list refreshing itself
        return render(request, "complaints/_inbox_table.html", context)
    context["saved_views"] = saved.saved_views_for(request.staff)
    return render(request, "complaints/inbox.html", context)


BULK_LIMIT = 100  # complaints assigned in one go


@staff_required(*SERVING_ROLES)
def inbox_export(request):
    """The inbox list (a saved view, a tab with filters) as XLSX, streamed from a file
    written as the rows are read: names masked as on the page; each citizen's appearance
    in the file is logged like every personal-data export."""
    tab, _form, filters = _inbox_request(request)
    rows = selectors.inbox(request.user, tab=tab, filters=filters)
    label = str(TAB_LABELS[tab])
    out = saved.xlsx_stream(
        staff=request.staff,
        complaints=rows,
        title=f"민원함 {label}",
        purpose=f"민원 목록 내려받기 ({label})",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = FileResponse(
        out, as_attachment=True, filename=f"complaints-{tab}-{stamp}.xlsx", content_type=XLSX
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required("team_leader")
@require_http_methods(["GET", "POST"])
def bulk_assign(request):
    """Several complaints of the leader's team to one member: GET shows the ones chosen
    in the inbox with the members to choose from, POST assigns each (one transaction
    each: one that cannot be assigned leaves the others assigned) and says what happened."""
    chosen = request.POST.getlist("ids") or request.GET.getlist("ids")
    ids = [int(pk) for pk in chosen if pk.isdigit()]
    complaints = list(
        visible_to(request.user, Complaint)
        .filter(pk__in=ids[:BULK_LIMIT], status__in=Complaint.OPEN_STATUSES)
        .select_related("assignee")
        .order_by("due_at", "pk")
    )
    form = AssignForm(request.POST or None, team=request.staff.team_id)
    if request.method == "POST" and complaints and form.is_valid():
        assignee = form.cleaned_data["assignee"]
        done, refused = workflow.assign_many(
            staff=request.staff, complaints=complaints, assignee=assignee
        )
        if done:
            messages.success(
                request,
                _("%(count)d건을 %(name)s 님에게 배정했습니다.")
                % {"count": len(done), "name": assignee.name},
            )
        for complaint, reason in refused:
            messages.error(request, f"{complaint.receipt_number}: {reason}")
        return redirect(f"{reverse('staff-inbox')}?tab=team")
    context = {"complaints": complaints, "form": form, "limit": BULK_LIMIT}
    return render(request, "complaints/bulk_assign.html", context)


TAB_LABELS = {
    "mine": gettext_lazy("내 민원"),
    "team": gettext_lazy("우리 팀"),
    "unassigned": gettext_lazy("미배정"),
    "today": gettext_lazy("오늘 마감"),
    "overdue": gettext_lazy("기한 초과"),
    "hold": gettext_lazy("보완 중"),
}


def detail_context(request, complaint, **forms):
    now = timezone.now()
    calendar = organisation_calendar()
    overdue, left = selectors.remaining(calendar, now, complaint.due_at, complaint.answered_at)
    can = workflow.permitted_actions(request.staff, complaint)
    defaults = {
        "answer_form": AnswerForm(initial={"text": complaint.category.answer_template}),
        "intent_form": NoteForm(initial={"note": complaint.intent_note}),
        "call_form": CallForm(),
    }
    defaults.update(forms)
    events = list(selectors.history(complaint))
    asked = any(event.kind == Event.Kind.SUPPLEMENT_REQUESTED for event in events)
    return {
        "complaint": complaint,
        "events": events,
        "attachments": list(complaint.attachments.all()),
        "answers": list(complaint.answers.select_related("staff")),
        "calls": list(complaint.calls.select_related("staff")),
        # (read only for a complaint that was ever asked for a supplement)
        "supplements": selectors.supplement_requests(complaint) if asked else [],
        # what went to the citizen, by which channel, and what became of it
        "sent_messages": messages_about(f"complaint:{complaint.pk}"),
        "notes": [event for event in events if event.kind == Event.Kind.NOTE],
        "note_form": InternalNoteForm(
            prefix=NOTE_PREFIX, suggest=reverse("staff-complaint-colleagues", args=[complaint.pk])
        ),
        "can_note": can_note(request.staff, complaint),
        "overdue": overdue,
        "left": left,
        "needs_intent": workflow.needs_intent_analysis(complaint),
        # approved answers of the same kind, while one is being written
        "qa_suggestions": faq.suggestions(complaint) if "answer" in can else [],
        "sees_flags": can_see_flags(request.staff),
        "can": can,
        # the actions with a page of their own, as links
        "action_links": [(name, entry.label) for name, entry in ACTIONS.items() if entry.page],
        **defaults,
    }


NOTE_PREFIX = "note"  # the answer form has a "text" of its own on the same page


def complaint_for(request, pk):
    """The complaint if this member of staff may read it (the team rule), or, mentioned
    in one of its notes, until it closes (logged)."""
    # the intent note's author is read only where there is a note: a seventh join
    # doubled the query's planning and building time (docs/benchmarks.md)
    rows = Complaint.objects.select_related(
        "category", "team", "citizen", "assignee", "repeated_closure"
    )
    try:
        return get_for_user(request.user, Complaint, pk=pk, queryset=rows)
    except Http404:
        complaint = rows.filter(pk=pk).first()
        if complaint is None or not mention_reads(request.staff, complaint):
            raise
    record_access(
        subject=complaint,
        action=AccessLog.Action.VIEW,
        request=request,
        purpose=_("메모에서 언급되어 열람"),
    )
    return complaint


@staff_required(*SERVING_ROLES)
def staff_detail(request, pk):
    complaint = complaint_for(request, pk)
    return render(request, "complaints/staff_detail.html", detail_context(request, complaint))


@staff_required(*SERVING_ROLES)
def similar(request, pk):
    """Similar complaints of the same citizen and of others: loaded into the complaint
    page after it (htmx), or a page of its own without JavaScript. The trigram
    comparisons are the slowest part of the complaint page, so it does not wait for them."""
    complaint = get_for_user(request.user, Complaint, pk=pk)
    others = selectors.similar_complaints(complaint, same_citizen=False)
    context = {
        "complaint": complaint,
        "similar_same": selectors.similar_complaints(complaint, same_citizen=True),
        "similar_others": others,
        # linked where this member of staff may open them (another team's are listed)
        "openable": set(
            visible_to(request.user, Complaint)
            .filter(pk__in=[c.pk for c in others])
            .values_list("pk", flat=True)
        ),
    }
    if request.headers.get("HX-Request"):
        return render(request, "complaints/_similar.html", context)
    return render(request, "complaints/similar.html", context)


def _action_page(request, complaint, action, form, status=200):
    return render(
        request,
        "complaints/action_page.html",
        {"complaint": complaint, "action": action, "form": form, "label": ACTIONS[action].label},
        status=status,
    )


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def act(request, pk, action):
    """One endpoint per workflow action (POST); the service decides whether it is
    allowed. Actions with long choice lists also show their form here on GET."""
    if action not in ACTIONS:
        raise Http404
    entry = ACTIONS[action]
    if request.method == "GET" and not entry.page:
        return HttpResponseNotAllowed(["POST"])
    complaint = complaint_for(request, pk)
    form_name = entry.form
    if request.method == "GET":
        return _action_page(request, complaint, action, FORMS[form_name](complaint, None, None))
    data = {}
    if form_name:
        form = FORMS[form_name](complaint, request.POST, request.FILES)
        if not form.is_valid():
            if entry.page:
                return _action_page(request, complaint, action, form, status=400)
            context = detail_context(request, complaint, **{form_name: form})
            context["open_action"] = action
            return render(request, "complaints/staff_detail.html", context, status=400)
        data = form.cleaned_data
    try:
        done = entry.run(request, complaint, data)
    except workflow.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        message = entry.done
        if isinstance(message, tuple):  # a switch: what it is now
            message = message[0] if getattr(done, "unclear", False) else message[1]
        messages.success(request, message)
    return redirect("staff-complaint-detail", pk=complaint.pk)


@staff_required(*SERVING_ROLES)
def today_board(request):
    stats, at_risk, overdue = selectors.board(request.user)
    context = {"stats": stats, "at_risk": at_risk, "overdue": overdue, "now": timezone.now()}
    template = (
        "complaints/_board.html" if request.headers.get("HX-Request") else "complaints/board.html"
    )
    return render(request, template, context)
