"""The complaint workflow. Each transition is one function: it locks the complaint row,
checks who may act and from which status, changes it, writes an event (who, when, from,
to, note) and puts it on the citizen's timeline — all in one transaction, so two staff
acting at once are applied one after the other and neither update is lost."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.services import contact_add
from complaints.actions import ACTIONS
from complaints.models import (
    Answer,
    Attachment,
    CallLog,
    Complaint,
    Event,
    Pause,
    SupplementReply,
)
from complaints.services import (
    attachment_files,
    discard_files,
    notify_citizen,
    statutory_deadline,
)
from complaints.signals import complaint_answered
from pcrm.notify.services import staff_notify
from pcrm.org.access import in_team
from pcrm.org.access import require as _require
from pcrm.org.calendar import organisation_calendar
from pcrm.org.models import Staff, Team

Status = Complaint.Status
Kind = Event.Kind
Role = Staff.Role
OPEN = set(Complaint.OPEN_STATUSES)


class TransitionError(ValueError):
    """The action does not fit the complaint's state; the message says why, in Korean."""


# --- who may act -------------------------------------------------------------------------------
def _in_team(staff: Staff, complaint: Complaint) -> bool:
    return in_team(staff, complaint.team_id)


def _leads(staff: Staff, complaint: Complaint) -> bool:
    return staff.role == Role.CS_ADMIN or (
        staff.role == Role.TEAM_LEADER and staff.team_id == complaint.team_id
    )


def _works_on(staff: Staff, complaint: Complaint) -> bool:
    """The assignee, or the team's leader, or a CS administrator."""
    return _leads(staff, complaint) or (
        _in_team(staff, complaint) and complaint.assignee_id == staff.pk
    )


WHO = {
    "team": lambda s, c: _in_team(s, c),
    "worker": _works_on,
    "leader": lambda s, c: _leads(s, c),
}


def _guard(name: str, staff: Staff, complaint: Complaint) -> None:
    """The action table's rule for ``name`` (complaints.actions): who may act, in which
    statuses, and any further condition; the page offers exactly what passes here."""
    action = ACTIONS[name]
    _require(WHO[action.who](staff, complaint))
    _from(complaint, action.statuses, action.verb)
    refusal = action.unless(complaint) if action.unless else None
    if refusal:
        raise TransitionError(refusal)


def permitted_actions(staff: Staff, complaint: Complaint) -> set[str]:
    """What the page offers this staff member now: the actions whose rule passes (the
    service checks the same rule again on POST, under the row lock)."""
    offered = set()
    for name in ACTIONS:
        try:
            _guard(name, staff, complaint)
        except (PermissionDenied, TransitionError):
            continue
        offered.add(name)
    return offered


def needs_intent_analysis(complaint: Complaint) -> bool:
    """Unclear, or from a vulnerable or dissatisfied citizen, and not analysed yet."""
    return (complaint.unclear or complaint.citizen.vulnerable) and not complaint.intent_note


def _require_intent(complaint: Complaint) -> None:
    if needs_intent_analysis(complaint):
        raise TransitionError(
            _("취지가 불명확하거나 취약·불만 고객의 민원입니다. 먼저 질의의도 분석을 적어 주세요.")
        )


# --- plumbing ----------------------------------------------------------------------------------
def _locked(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("citizen")
        .get(pk=complaint.pk)
    )


def _from(complaint: Complaint, allowed: set[str], action: str) -> None:
    if complaint.status not in allowed:
        raise TransitionError(
            _("'%(status)s' 상태에서는 %(action)s할 수 없습니다. 화면을 새로 고쳐 확인하세요.")
            % {"status": complaint.get_status_display(), "action": action}
        )


def _record(complaint, kind, staff, *, from_status="", note="", public=True, counts=False):
    event = Event.objects.create(
        complaint=complaint,
        kind=kind,
        from_status=from_status,
        to_status=complaint.status,
        note=note,
        staff=staff,
        public=public,
    )
    contact_add(
        citizen_id=complaint.citizen_id,
        kind=f"complaint.{kind}",
        summary=f"{complaint.receipt_number} {Kind(kind).label}",
        staff=staff,
        link=f"/staff/complaints/{complaint.pk}/",
        source=f"complaint-event:{event.pk}",
        counts=counts,
    )
    return event


def _save(complaint: Complaint, *fields: str) -> None:
    complaint.save(update_fields=[*fields, "updated_at"])


# --- transitions -------------------------------------------------------------------------------
@transaction.atomic
def assign(*, staff: Staff, complaint: Complaint, assignee: Staff, note: str = "") -> Complaint:
    """The leader gives the complaint to a member of the team."""
    c = _locked(complaint)
    _guard("assign", staff, c)
    return _assign(c, staff, assignee, note)


@transaction.atomic
def take(*, staff: Staff, complaint: Complaint) -> Complaint:
    """A member of the team takes an unassigned complaint for themselves."""
    c = _locked(complaint)
    _guard("take", staff, c)
    return _assign(c, staff, staff, "")


def _assign(c: Complaint, staff: Staff, assignee: Staff, note: str) -> Complaint:
    if not (assignee.active and assignee.team_id == c.team_id):
        raise TransitionError(_("담당 팀의 재직 직원에게만 배정할 수 있습니다."))
    before = c.status
    c.assignee = assignee
    if c.status == Status.RECEIVED:
        c.status = Status.ASSIGNED
    _save(c, "assignee", "status")
    _record(c, Kind.ASSIGNED, staff, from_status=before, note=note or assignee.name, public=False)
    return c


def assign_many(*, staff: Staff, complaints, assignee: Staff):
    """``assign`` for each complaint in a transaction of its own: the ones that cannot
    be assigned (taken meanwhile, closed, not the leader's) are listed with the reason
    and leave the others assigned. Returns (assigned, [(complaint, reason), ...])."""
    done, refused = [], []
    for complaint in complaints:
        try:
            done.append(assign(staff=staff, complaint=complaint, assignee=assignee))
        except (TransitionError, PermissionDenied) as error:
            refused.append((complaint, str(error) or _("배정할 권한이 없습니다.")))
    return done, refused


@transaction.atomic
def start(*, staff: Staff, complaint: Complaint) -> Complaint:
    c = _locked(complaint)
    _guard("start", staff, c)
    c.status = Status.IN_PROGRESS
    _save(c, "status")
    _record(c, Kind.STARTED, staff, from_status=Status.ASSIGNED)
    return c


@transaction.atomic
def request_supplement(*, staff: Staff, complaint: Complaint, note: str) -> Complaint:
    """보완 요청: the clock stops until the citizen supplies what is missing."""
    c = _locked(complaint)
    _guard("supplement", staff, c)
    if not note.strip():
        raise TransitionError(_("민원인에게 보완할 내용을 적어 주세요."))
    c.status = Status.SUPPLEMENT
    _save(c, "status")
    pause = Pause.objects.create(complaint=c, started_at=timezone.now(), note=note)
    _record(c, Kind.SUPPLEMENT_REQUESTED, staff, from_status=Status.IN_PROGRESS, note=note)
    notify_citizen(c, "complaint-supplement", f"supplement:{pause.pk}", note=note)
    return c


@transaction.atomic
def resume(*, staff: Staff, complaint: Complaint, note: str = "") -> Complaint:
    c = _locked(complaint)
    _guard("resume", staff, c)
    _resume(c)
    _record(c, Kind.RESUMED, staff, from_status=Status.SUPPLEMENT, note=note)
    return c


def _resume(c: Complaint) -> None:
    """The clock runs again: the open pause ends now and the deadline moves by the time
    it stood still (the extended date, if there is one, stays)."""
    now = timezone.now()
    c.pauses.filter(ended_at__isnull=True).update(ended_at=now)
    c.statutory_due_at = statutory_deadline(c, organisation_calendar(), now=now)
    if c.extended_at is None:
        c.due_at = c.statutory_due_at
    c.status = Status.IN_PROGRESS
    _save(c, "status", "statutory_due_at", "due_at")


def open_supplement_request(complaint: Complaint) -> Pause | None:
    """The supplement request the citizen may answer now, if there is one."""
    if complaint.status != Status.SUPPLEMENT:
        return None
    return complaint.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()


def supplement_reply(*, complaint: Complaint, pause_id: int, text: str, attachments=()):
    """The citizen answers a supplement request online (from the tracking page): the
    reply and its files land on the complaint, the clock runs again and the assignee
    (or the team's leader) hears of it. One reply per request: a repeated submission
    (a double click, a retry) returns the first one. ``(reply, replied_now)``."""
    with attachment_files(attachments, Attachment.Kind.SUPPLEMENT) as files:
        reply, replied_now = _supplement_reply(complaint, pause_id, text, files)
    if not replied_now:
        discard_files(files)  # the first submission's rows have files of their own
    return reply, replied_now


@transaction.atomic
def _supplement_reply(complaint, pause_id, text, files):
    c = _locked(complaint)
    pause = Pause.objects.filter(pk=pause_id, complaint=c).select_related("reply").first()
    if pause is None:
        raise TransitionError(_("이 민원에 그런 보완 요청이 없습니다."))
    if hasattr(pause, "reply"):
        return pause.reply, False
    if pause.ended_at is not None or c.status != Status.SUPPLEMENT:
        raise TransitionError(
            _("이 보완 요청은 이미 끝났습니다. 더 알릴 내용이 있으면 담당 부서에 연락해 주세요.")
        )
    if not text.strip():
        raise TransitionError(_("보완할 내용을 적어 주세요."))
    reply = SupplementReply.objects.create(pause=pause, text=text.strip())
    for attachment in files:
        attachment.complaint = c
        attachment.save()
    _resume(c)
    _record(c, Kind.SUPPLEMENT_REPLIED, None, from_status=Status.SUPPLEMENT, counts=True)
    _tell_staff(c, f"supplement:{pause.pk}", _("%(number)s 민원에 민원인이 보완 자료를 냈습니다."))
    return reply, True


@transaction.atomic
def mark_unclear(*, staff: Staff, complaint: Complaint, unclear: bool) -> Complaint:
    c = _locked(complaint)
    _guard("unclear", staff, c)
    c.unclear = unclear
    _save(c, "unclear")
    return c


@transaction.atomic
def record_intent(*, staff: Staff, complaint: Complaint, note: str) -> Complaint:
    """질의의도 분석: what the citizen really asks, written before calling or answering."""
    c = _locked(complaint)
    _guard("intent", staff, c)
    if not note.strip():
        raise TransitionError(_("질의의도 분석 내용을 적어 주세요."))
    c.intent_note, c.intent_noted_by, c.intent_noted_at = note, staff, timezone.now()
    _save(c, "intent_note", "intent_noted_by", "intent_noted_at")
    _record(c, Kind.INTENT_NOTED, staff, from_status=c.status, public=False)
    return c


@transaction.atomic
def log_call(*, staff: Staff, complaint: Complaint, outcome: str, note: str = "") -> CallLog:
    c = _locked(complaint)
    _guard("call", staff, c)
    _require_intent(c)
    call = CallLog.objects.create(complaint=c, staff=staff, outcome=outcome, note=note)
    _record(
        c,
        Kind.CALL_LOGGED,
        staff,
        from_status=c.status,
        note=call.get_outcome_display(),
        public=False,
        counts=True,
    )
    return call


def answer(
    *,
    staff: Staff,
    complaint: Complaint,
    text: str,
    refusal: bool = False,
    refusal_reason: str = "",
    remedy: str = "",
    attachments=(),
) -> Answer:
    """Send the answer. A refusal must state its reason and the remedy procedure. The
    attached files are written first, and removed again if the answer is not sent (a
    check fails, or the transaction rolls back)."""
    with attachment_files(attachments, Attachment.Kind.ANSWER) as files:
        return _answer(staff, complaint, text, refusal, refusal_reason, remedy, files)


@transaction.atomic
def _answer(staff, complaint, text, refusal, refusal_reason, remedy, files) -> Answer:
    c = _locked(complaint)
    _guard("answer", staff, c)
    _require_intent(c)
    if not text.strip():
        raise TransitionError(_("답변 내용을 적어 주세요."))
    if refusal and not (refusal_reason.strip() and remedy.strip()):
        raise TransitionError(
            _("거부 답변에는 거부 사유와 구제절차(이의신청·행정심판 등) 안내를 모두 적어야 합니다.")
        )
    before = c.status
    now = timezone.now()
    reply = Answer.objects.create(
        complaint=c,
        text=text,
        refusal=refusal,
        refusal_reason=refusal_reason if refusal else "",
        remedy=remedy if refusal else "",
        staff=staff,
        at=now,
    )
    for attachment in files:
        attachment.complaint = c
        attachment.save()
    c.status, c.answered_at = Status.ANSWERED, now
    _save(c, "status", "answered_at")
    _record(c, Kind.ANSWERED, staff, from_status=before, counts=True)
    notify_citizen(c, "complaint-answered", f"answer:{reply.pk}")
    complaint_answered.send(sender=Complaint, complaint=c, answer=reply)
    return reply


@transaction.atomic
def close(*, staff: Staff, complaint: Complaint, note: str = "") -> Complaint:
    c = _locked(complaint)
    _guard("close", staff, c)
    c.status, c.closed_at = Status.CLOSED, timezone.now()
    _save(c, "status", "closed_at")
    _record(c, Kind.CLOSED, staff, from_status=Status.ANSWERED, note=note)
    return c


@transaction.atomic
def transfer(*, staff: Staff, complaint: Complaint, team: Team, reason: str) -> Complaint:
    """이송: hand the complaint to another team; it starts there unassigned."""
    c = _locked(complaint)
    _guard("transfer", staff, c)
    if not reason.strip():
        raise TransitionError(_("이송 사유를 적어 주세요."))
    if team.pk == c.team_id:
        raise TransitionError(_("지금 담당 팀과 다른 팀을 고르세요."))
    before = c.status
    c.team, c.assignee, c.status = team, None, Status.RECEIVED
    _save(c, "team", "assignee", "status")
    _record(c, Kind.TRANSFERRED, staff, from_status=before, note=f"{team.name}: {reason}")
    return c


@transaction.atomic
def withdraw(*, staff: Staff, complaint: Complaint, reason: str) -> Complaint:
    """취하: the citizen withdrew the complaint (recorded by staff)."""
    c = _locked(complaint)
    _guard("withdraw", staff, c)
    if not reason.strip():
        raise TransitionError(_("취하 경위를 적어 주세요."))
    return _withdraw(c, staff, reason)


def _withdraw(c: Complaint, staff: Staff | None, note: str, *, counts: bool = False) -> Complaint:
    """The complaint stops: withdrawn, its clock's open pause closed, the event kept."""
    before = c.status
    c.status, c.closed_at = Status.WITHDRAWN, timezone.now()
    c.pauses.filter(ended_at__isnull=True).update(ended_at=c.closed_at)
    _save(c, "status", "closed_at")
    _record(c, Kind.WITHDRAWN, staff, from_status=before, note=note, counts=counts)
    return c


@transaction.atomic
def withdraw_by_citizen(*, complaint: Complaint, reason: str) -> tuple[Complaint, bool]:
    """취하, online by the citizen (from the tracking page): the complaint stops, leaves
    the open lists, and its assignee (or the team's leader) hears of it at once.
    ``(complaint, withdrawn_now)``: a second submission changes nothing."""
    c = _locked(complaint)
    if c.status == Status.WITHDRAWN:
        return c, False
    if c.status not in OPEN:
        raise TransitionError(_("이미 답변했거나 끝난 민원은 취하할 수 없습니다."))
    if not reason.strip():
        raise TransitionError(_("취하하는 까닭을 적어 주세요."))
    note = _("민원인이 온라인으로 취하: %(reason)s") % {"reason": reason.strip()}
    _withdraw(c, None, note, counts=True)
    _tell_staff(c, "withdrawn", _("%(number)s 민원을 민원인이 취하했습니다."))
    return c, True


def _tell_staff(c: Complaint, key: str, text: str) -> None:
    """What the citizen did online, told once to the assignee (or the team's leader)."""
    told = c.assignee or c.team.leader
    if told is not None:
        staff_notify(
            key=f"complaint:{c.pk}:{key}:staff:{told.pk}",
            staff=told,
            text=text % {"number": c.receipt_number},
            link=f"/staff/complaints/{c.pk}/",
        )


@transaction.atomic
def reopen(*, staff: Staff, complaint: Complaint, reason: str) -> Complaint:
    c = _locked(complaint)
    _guard("reopen", staff, c)
    if not reason.strip():
        raise TransitionError(_("재처리 사유를 적어 주세요."))
    before = c.status
    c.status, c.closed_at = Status.IN_PROGRESS, None
    _save(c, "status", "closed_at")
    _record(c, Kind.REOPENED, staff, from_status=before, note=reason)
    return c


@transaction.atomic
def extend(*, staff: Staff, complaint: Complaint, new_day, reason: str) -> Complaint:
    """The one extension the law allows: a reason and a new date, told to the citizen."""
    c = _locked(complaint)
    _guard("extend", staff, c)
    if not reason.strip():
        raise TransitionError(_("연장 사유를 적어 주세요."))
    try:
        new_due = organisation_calendar().extended_due_at(c.due_at, new_day)
    except ValueError:
        raise TransitionError(_("새 처리기한은 지금 기한보다 늦은 근무일이어야 합니다.")) from None
    c.due_at, c.extended_at, c.extension_reason = new_due, timezone.now(), reason
    _save(c, "due_at", "extended_at", "extension_reason")
    _record(c, Kind.EXTENDED, staff, from_status=c.status, note=reason)
    notify_citizen(
        c, "complaint-extended", "extended", reason=reason, due_at=timezone.localtime(new_due)
    )
    return c


ANSWERED = {Status.ANSWERED, Status.CLOSED}
REPEAT_FILINGS, REPEAT_ANSWERS = 3, 2


@transaction.atomic
def link_duplicate(*, staff: Staff, complaint: Complaint, original: Complaint) -> Complaint:
    """Mark ``complaint`` as a duplicate of ``original`` (중복민원)."""
    c = _locked(complaint)
    _guard("duplicate", staff, c)
    if original.pk == c.pk or original.duplicate_of_id == c.pk:
        raise TransitionError(_("자기 자신이나 이 민원의 중복 민원에는 연결할 수 없습니다."))
    c.duplicate_of = original
    _save(c, "duplicate_of")
    _record(
        c,
        Kind.DUPLICATE_LINKED,
        staff,
        from_status=c.status,
        note=original.receipt_number,
        public=False,
    )
    return c


@transaction.atomic
def propose_repeated_closure(
    *, staff: Staff, complaint: Complaint, related: list[Complaint], reason: str
):
    """반복민원 종결 제안 (법 제23조): only once the same matter was filed 3 or more times
    and answered 2 or more times; the team leader decides."""
    from complaints.models import RepeatedClosure

    c = _locked(complaint)
    _guard("propose_repeat", staff, c)
    if not reason.strip():
        raise TransitionError(_("반복민원으로 보는 이유를 적어 주세요."))
    related = [r for r in related if r.pk != c.pk]
    if any(r.citizen_id != c.citizen_id for r in related):
        raise TransitionError(_("같은 민원인이 낸 민원만 묶을 수 있습니다."))
    filed = 1 + len(related)
    answered = sum(1 for r in related if r.status in ANSWERED)
    if filed < REPEAT_FILINGS or answered < REPEAT_ANSWERS:
        raise TransitionError(
            _(
                "같은 내용이 3번 이상 접수되고 2번 이상 답변된 경우에만 제안할 수 있습니다 "
                "(지금 접수 %(filed)d번, 답변 %(answered)d번)."
            )
            % {"filed": filed, "answered": answered}
        )
    RepeatedClosure.objects.filter(complaint=c).delete()  # a rejected one may be proposed again
    proposal = RepeatedClosure.objects.create(complaint=c, reason=reason, proposed_by=staff)
    proposal.related.set(related)
    _record(c, Kind.REPEAT_PROPOSED, staff, from_status=c.status, note=reason, public=False)
    return proposal


@transaction.atomic
def decide_repeated_closure(*, staff: Staff, complaint: Complaint, approve: bool, note: str = ""):
    from complaints.models import RepeatedClosure

    c = _locked(complaint)
    _guard("approve_repeat" if approve else "reject_repeat", staff, c)
    proposal = RepeatedClosure.objects.select_for_update().filter(complaint=c).first()
    if proposal is None or proposal.state != RepeatedClosure.State.PROPOSED:
        raise TransitionError(_("결정할 반복민원 종결 제안이 없습니다."))
    proposal.state = RepeatedClosure.State.APPROVED if approve else RepeatedClosure.State.REJECTED
    proposal.decided_by, proposal.decided_at = staff, timezone.now()
    proposal.save(update_fields=["state", "decided_by", "decided_at"])
    before = c.status
    if approve:
        _from(c, OPEN, _("종결"))
        c.status, c.closed_at = Status.CLOSED, timezone.now()
        c.pauses.filter(ended_at__isnull=True).update(ended_at=c.closed_at)
        _save(c, "status", "closed_at")
        _record(c, Kind.REPEAT_APPROVED, staff, from_status=before, note=note or proposal.reason)
    else:
        _record(c, Kind.REPEAT_REJECTED, staff, from_status=before, note=note, public=False)
    return proposal
