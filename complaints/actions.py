"""The workflow actions on a complaint: one table, read by the workflow's guard (who may
act, in which statuses), the staff pages (labels, forms, own pages, what was done) and
the API (one POST per action, its schema and documentation).

Each entry names the service it runs; ``complaints.workflow`` checks the entry before
the service changes anything, and ``permitted_actions`` offers exactly what that check
would let through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from complaints.forms import (
    AnswerForm,
    AssignForm,
    CallForm,
    DuplicateForm,
    ExtendForm,
    NoteForm,
    OptionalNoteForm,
    RepeatForm,
    TransferForm,
)
from complaints.models import Complaint

Status = Complaint.Status
OPEN = frozenset(Complaint.OPEN_STATUSES)
BEFORE_ANSWER = frozenset({Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS})
DONE_WITH = frozenset({Status.ANSWERED, Status.CLOSED})

# who may act: "team" any member of the complaint's team, "worker" its assignee or the
# team's leader, "leader" the team's leader (a CS administrator counts as both)
WHO = ("team", "worker", "leader")


@dataclass(frozen=True)
class Action:
    label: str
    done: str | tuple[str, str]  # what it says when done (a switch: when on, when off)
    verb: str  # "'접수' 상태에서는 {verb}할 수 없습니다"
    statuses: frozenset[str]
    who: str
    service: str  # the function of complaints.workflow it runs
    arguments: Callable = lambda request, complaint, data: {}
    form: str | None = None  # key of FORMS, None: no input
    page: bool = False  # its form has a page of its own (long choice lists)
    # a further condition on the complaint: the refusal's wording when it does not hold
    unless: Callable[[Complaint], str | None] | None = None

    def run(self, request, complaint, data):
        from complaints import workflow

        service = getattr(workflow, self.service)
        return service(
            staff=request.staff, complaint=complaint, **self.arguments(request, complaint, data)
        )


def _assigned_already(complaint) -> str | None:
    return _("이미 다른 담당자가 맡은 민원입니다.") if complaint.assignee_id else None


def _extended_already(complaint) -> str | None:
    return _("처리기간은 한 번만 연장할 수 있습니다.") if complaint.extended_at else None


def _proposed_already(complaint) -> str | None:
    proposal = getattr(complaint, "repeated_closure", None)
    if proposal is not None and proposal.state == "proposed":
        return _("이미 제안되어 팀장 결정을 기다리고 있습니다.")
    return None


def _no_proposal(complaint) -> str | None:
    proposal = getattr(complaint, "repeated_closure", None)
    if proposal is None or proposal.state != "proposed":
        return _("결정할 반복민원 종결 제안이 없습니다.")
    return None


def _original(request, complaint, data):
    from complaints.models import Complaint as Model
    from pcrm.org.access import get_for_user

    return {
        "original": get_for_user(request.user, Model, receipt_number=data["receipt_number"].strip())
    }


ACTIONS: dict[str, Action] = {
    "take": Action(
        label=_("내가 맡기"),
        done=_("민원을 맡았습니다."),
        verb=_("담당자를 정"),
        statuses=BEFORE_ANSWER,
        who="team",
        service="take",
        unless=_assigned_already,
    ),
    "assign": Action(
        label=_("담당자 배정"),
        done=_("담당자를 배정했습니다."),
        verb=_("담당자를 정"),
        statuses=BEFORE_ANSWER,
        who="leader",
        service="assign",
        arguments=lambda r, c, d: {"assignee": d["assignee"]},
        form="assign_form",
        page=True,
    ),
    "start": Action(
        label=_("처리 시작"),
        done=_("처리를 시작했습니다."),
        verb=_("처리를 시작"),
        statuses=frozenset({Status.ASSIGNED}),
        who="worker",
        service="start",
    ),
    "supplement": Action(
        label=_("보완 요청 (처리기간 멈춤)"),
        done=_("보완을 요청했습니다. 보완될 때까지 처리기간이 멈춥니다."),
        verb=_("보완을 요청"),
        statuses=frozenset({Status.IN_PROGRESS}),
        who="worker",
        service="request_supplement",
        arguments=lambda r, c, d: {"note": d["note"]},
        form="supplement_form",
        page=True,
    ),
    "resume": Action(
        label=_("보완 완료, 처리 재개"),
        done=_("보완이 끝나 처리를 다시 시작했습니다. 처리기간이 다시 흐릅니다."),
        verb=_("처리를 재개"),
        statuses=frozenset({Status.SUPPLEMENT}),
        who="worker",
        service="resume",
        arguments=lambda r, c, d: {"note": d["note"]},
        form="note_form",
        page=True,
    ),
    "intent": Action(
        label=_("질의의도 분석 기록"),
        done=_("질의의도 분석을 저장했습니다."),
        verb=_("질의의도 분석을 기록"),
        statuses=OPEN,
        who="team",
        service="record_intent",
        arguments=lambda r, c, d: {"note": d["note"]},
        form="intent_form",
    ),
    "unclear": Action(
        label=_("취지 불명확 표시 켜기/끄기"),
        done=(_("취지 불명확으로 표시했습니다."), _("취지 불명확 표시를 풀었습니다.")),
        verb=_("취지 불명확 표시를 변경"),
        statuses=OPEN,
        who="team",
        service="mark_unclear",
        arguments=lambda r, c, d: {"unclear": not c.unclear},
    ),
    "call": Action(
        label=_("통화 기록"),
        done=_("통화 기록을 남겼습니다."),
        verb=_("통화를 기록"),
        statuses=OPEN,
        who="team",
        service="log_call",
        arguments=lambda r, c, d: {"outcome": d["outcome"], "note": d["note"]},
        form="call_form",
    ),
    "answer": Action(
        label=_("답변 (거부는 사유와 구제절차 필수)"),
        done=_("답변을 보냈습니다. 민원인에게 알림이 나갑니다."),
        verb=_("답변"),
        statuses=frozenset({Status.ASSIGNED, Status.IN_PROGRESS}),
        who="worker",
        service="answer",
        arguments=lambda r, c, d: {
            "text": d["text"],
            "refusal": d["refusal"],
            "refusal_reason": d["refusal_reason"],
            "remedy": d["remedy"],
            "attachments": d["attachments"],
        },
        form="answer_form",
    ),
    "close": Action(
        label=_("종결"),
        done=_("민원을 종결했습니다."),
        verb=_("종결"),
        statuses=frozenset({Status.ANSWERED}),
        who="worker",
        service="close",
        arguments=lambda r, c, d: {"note": d["note"]},
        form="note_form",
        page=True,
    ),
    "transfer": Action(
        label=_("다른 팀으로 이송"),
        done=_("다른 팀으로 이송했습니다."),
        verb=_("이송"),
        statuses=OPEN,
        who="worker",
        service="transfer",
        arguments=lambda r, c, d: {"team": d["team"], "reason": d["note"]},
        form="transfer_form",
        page=True,
    ),
    "withdraw": Action(
        label=_("취하 처리"),
        done=_("취하로 처리했습니다."),
        verb=_("취하 처리"),
        statuses=OPEN,
        who="worker",
        service="withdraw",
        arguments=lambda r, c, d: {"reason": d["note"]},
        form="reason_form",
        page=True,
    ),
    "reopen": Action(
        label=_("재처리"),
        done=_("민원을 다시 열어 처리합니다."),
        verb=_("재처리"),
        statuses=DONE_WITH,
        who="leader",
        service="reopen",
        arguments=lambda r, c, d: {"reason": d["note"]},
        form="reason_form",
        page=True,
    ),
    "duplicate": Action(
        label=_("중복 민원으로 연결"),
        done=_("중복 민원으로 연결했습니다."),
        verb=_("중복 민원으로 연결"),
        statuses=OPEN,
        who="team",
        service="link_duplicate",
        arguments=_original,
        form="duplicate_form",
        page=True,
    ),
    "propose_repeat": Action(
        label=_("반복민원 종결 제안"),
        done=_("반복민원 종결을 제안했습니다. 팀장이 결정합니다."),
        verb=_("반복민원 종결을 제안"),
        statuses=OPEN,
        who="team",
        service="propose_repeated_closure",
        arguments=lambda r, c, d: {"related": list(d["related"]), "reason": d["note"]},
        form="repeat_form",
        page=True,
        unless=_proposed_already,
    ),
    "approve_repeat": Action(
        label=_("반복민원 종결 승인"),
        done=_("반복민원으로 종결했습니다."),
        verb=_("반복민원 종결을 결정"),
        statuses=OPEN,
        who="leader",
        service="decide_repeated_closure",
        arguments=lambda r, c, d: {"approve": True, "note": d["note"]},
        form="note_form",
        page=True,
        unless=_no_proposal,
    ),
    "reject_repeat": Action(
        label=_("반복민원 종결 반려"),
        done=_("반복민원 종결 제안을 반려했습니다."),
        verb=_("반복민원 종결을 결정"),
        statuses=OPEN,
        who="leader",
        service="decide_repeated_closure",
        arguments=lambda r, c, d: {"approve": False, "note": d["note"]},
        form="note_form",
        page=True,
        unless=_no_proposal,
    ),
    "extend": Action(
        label=_("처리기간 연장 (한 번)"),
        done=_("처리기간을 연장했습니다. 민원인에게 알림이 나갑니다."),
        verb=_("처리기간을 연장"),
        statuses=OPEN,
        who="leader",
        service="extend",
        arguments=lambda r, c, d: {"new_day": d["new_day"], "reason": d["note"]},
        form="extend_form",
        page=True,
        unless=_extended_already,
    ),
}

# the forms, by key: (complaint, data, files) -> form; data None for a blank one
FORMS = {
    "assign_form": lambda c, data, files: AssignForm(data, team=c.team_id),
    "answer_form": lambda c, data, files: AnswerForm(data, files),
    "call_form": lambda c, data, files: CallForm(data),
    "transfer_form": lambda c, data, files: TransferForm(data, exclude_team=c.team_id),
    "extend_form": lambda c, data, files: ExtendForm(data),
    "intent_form": lambda c, data, files: NoteForm(data),
    "supplement_form": lambda c, data, files: NoteForm(data),
    "reason_form": lambda c, data, files: NoteForm(data),
    "note_form": lambda c, data, files: OptionalNoteForm(data),
    "duplicate_form": lambda c, data, files: DuplicateForm(data),
    "repeat_form": lambda c, data, files: RepeatForm(data, complaint=c),
}
