"""Internal notes on a complaint, and the colleagues they mention.

A note is an event of kind ``note`` that is never public: it is in the staff's history
of the complaint and nowhere a citizen looks. ``@이름`` in its text (or a colleague
chosen in the form) mentions a colleague: they are told once, with a link, and may read
the complaint from another team until it closes."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from complaints.access import can_note
from complaints.models import Complaint, Event, Mention
from pcrm.notify.services import staff_notify
from pcrm.org.access import require
from pcrm.org.models import Staff

MENTION = re.compile(r"@(\S{2,20})")
MAX_LENGTH = 5000


class NoteError(ValueError):
    """The note cannot be kept; the message says why, in Korean."""


def name_being_typed(text: str) -> str:
    """What follows the last ``@`` of a note being written, if it is still a name being
    typed (no space or line after it): what the autocomplete looks for."""
    start = text[-200:].rsplit("@", 1)[1] if "@" in text else ""
    return "" if not start or any(ch.isspace() for ch in start) else start


def colleagues_named(text: str) -> list[Staff]:
    """Active staff whose names follow an ``@`` in the text (a name two colleagues share
    names neither: they are chosen from the list instead)."""
    names = set(MENTION.findall(text))
    if not names:
        return []
    found: dict[str, list[Staff]] = {}
    for staff in Staff.objects.filter(name__in=names, active=True):
        found.setdefault(staff.name, []).append(staff)
    return [people[0] for people in found.values() if len(people) == 1]


@transaction.atomic
def note_add(*, staff: Staff, complaint: Complaint, text: str, mentioned=()) -> Event:
    """Keep a note; tell each colleague it mentions (chosen, or ``@이름`` in the text),
    once, with a link to it."""
    complaint = Complaint.objects.get(pk=complaint.pk)  # its status now, not as shown
    require(can_note(staff, complaint))
    text = text.strip()
    if not text:
        raise NoteError(_("메모 내용을 적어 주세요."))
    if len(text) > MAX_LENGTH:
        raise NoteError(_("메모는 %(limit)d자까지 적을 수 있습니다.") % {"limit": MAX_LENGTH})
    note = Event.objects.create(
        complaint=complaint,
        kind=Event.Kind.NOTE,
        from_status=complaint.status,
        to_status=complaint.status,
        note=text,
        staff=staff,
        public=False,
    )
    colleagues = {c.pk: c for c in [*mentioned, *colleagues_named(text)] if c.active}
    colleagues.pop(staff.pk, None)
    Mention.objects.bulk_create(
        [Mention(note=note, staff=c, complaint=complaint) for c in colleagues.values()]
    )
    for colleague in colleagues.values():
        staff_notify(
            key=f"note:{note.pk}:mention:{colleague.pk}",
            staff=colleague,
            text=_("%(author)s 님이 %(number)s 민원 메모에서 회원님을 언급했습니다.")
            % {"author": staff.name, "number": complaint.receipt_number},
            link=f"/staff/complaints/{complaint.pk}/#note-{note.pk}",
        )
    return note
