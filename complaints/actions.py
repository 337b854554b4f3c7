"""The workflow actions one can take on a complaint, shared by the staff pages and the
API: each names the form that validates its input (``None``: no input) and what to call
with the cleaned data. The services decide whether the action is allowed."""

from complaints import workflow
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
from pcrm.org.access import get_for_user

# action -> (form name, what to call with (request, complaint, cleaned data))
ACTIONS = {
    "take": (None, lambda r, c, d: workflow.assign(staff=r.staff, complaint=c, assignee=r.staff)),
    "assign": (
        "assign_form",
        lambda r, c, d: workflow.assign(staff=r.staff, complaint=c, assignee=d["assignee"]),
    ),
    "start": (None, lambda r, c, d: workflow.start(staff=r.staff, complaint=c)),
    "supplement": (
        "supplement_form",
        lambda r, c, d: workflow.request_supplement(staff=r.staff, complaint=c, note=d["note"]),
    ),
    "resume": (
        "note_form",
        lambda r, c, d: workflow.resume(staff=r.staff, complaint=c, note=d["note"]),
    ),
    "intent": (
        "intent_form",
        lambda r, c, d: workflow.record_intent(staff=r.staff, complaint=c, note=d["note"]),
    ),
    "unclear": (
        None,
        lambda r, c, d: workflow.mark_unclear(staff=r.staff, complaint=c, unclear=not c.unclear),
    ),
    "call": (
        "call_form",
        lambda r, c, d: workflow.log_call(
            staff=r.staff, complaint=c, outcome=d["outcome"], note=d["note"]
        ),
    ),
    "answer": (
        "answer_form",
        lambda r, c, d: workflow.answer(
            staff=r.staff,
            complaint=c,
            text=d["text"],
            refusal=d["refusal"],
            refusal_reason=d["refusal_reason"],
            remedy=d["remedy"],
            attachments=d["attachments"],
        ),
    ),
    "close": (
        "note_form",
        lambda r, c, d: workflow.close(staff=r.staff, complaint=c, note=d["note"]),
    ),
    "transfer": (
        "transfer_form",
        lambda r, c, d: workflow.transfer(
            staff=r.staff, complaint=c, team=d["team"], reason=d["note"]
        ),
    ),
    "withdraw": (
        "reason_form",
        lambda r, c, d: workflow.withdraw(staff=r.staff, complaint=c, reason=d["note"]),
    ),
    "reopen": (
        "reason_form",
        lambda r, c, d: workflow.reopen(staff=r.staff, complaint=c, reason=d["note"]),
    ),
    "duplicate": (
        "duplicate_form",
        lambda r, c, d: workflow.link_duplicate(
            staff=r.staff,
            complaint=c,
            original=get_for_user(r.user, Complaint, receipt_number=d["receipt_number"].strip()),
        ),
    ),
    "propose_repeat": (
        "repeat_form",
        lambda r, c, d: workflow.propose_repeated_closure(
            staff=r.staff, complaint=c, related=list(d["related"]), reason=d["note"]
        ),
    ),
    "approve_repeat": (
        "note_form",
        lambda r, c, d: workflow.decide_repeated_closure(
            staff=r.staff, complaint=c, approve=True, note=d["note"]
        ),
    ),
    "reject_repeat": (
        "note_form",
        lambda r, c, d: workflow.decide_repeated_closure(
            staff=r.staff, complaint=c, approve=False, note=d["note"]
        ),
    ),
    "extend": (
        "extend_form",
        lambda r, c, d: workflow.extend(
            staff=r.staff, complaint=c, new_day=d["new_day"], reason=d["note"]
        ),
    ),
}
FORMS = {
    "assign_form": lambda c, data, files: AssignForm(data, team=c.team_id),
    "answer_form": lambda c, data, files: AnswerForm(data, files),
    "intent_form": lambda c, data, files: NoteForm(data),
    "call_form": lambda c, data, files: CallForm(data),
    "supplement_form": lambda c, data, files: NoteForm(data),
    "transfer_form": lambda c, data, files: TransferForm(data, exclude_team=c.team_id),
    "extend_form": lambda c, data, files: ExtendForm(data),
    "reason_form": lambda c, data, files: NoteForm(data),
    "note_form": lambda c, data, files: OptionalNoteForm(data),
    "duplicate_form": lambda c, data, files: DuplicateForm(data),
    "repeat_form": lambda c, data, files: RepeatForm(data, complaint=c),
}
