"""Internal notes on a complaint page: write one, mention colleagues."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from complaints import notes, selectors
from complaints.forms import InternalNoteForm
from complaints.views import NOTE_PREFIX, complaint_for
from pcrm.org.access import SERVING_ROLES, staff_required


@staff_required(*SERVING_ROLES)
@require_http_methods(["GET", "POST"])
def note_add(request, pk):
    """A note from the complaint page (``@이름`` mentions), or from this page, which
    also offers the list of colleagues to choose from (no JavaScript needed)."""
    complaint = complaint_for(request, pk)
    form = InternalNoteForm(request.POST or None, choose=True, prefix=NOTE_PREFIX)
    if request.method == "POST" and form.is_valid():
        try:
            note = notes.note_add(
                staff=request.staff,
                complaint=complaint,
                text=form.cleaned_data["text"],
                mentioned=form.cleaned_data["mention"],
            )
        except notes.NoteError as error:
            form.add_error("text", str(error))
        else:
            told = note.mentions.count()
            messages.success(
                request,
                _("내부 메모를 남겼습니다.")
                + (" " + _("%(count)d명에게 알렸습니다.") % {"count": told} if told else ""),
            )
            return redirect(f"/staff/complaints/{complaint.pk}/#note-{note.pk}")
    return render(request, "complaints/note_form.html", {"complaint": complaint, "form": form})


@staff_required(*SERVING_ROLES)
def colleagues(request, pk):
    """The mention autocomplete (htmx): colleagues whose name starts with what follows
    the last ``@`` of the note being written."""
    complaint = complaint_for(request, pk)
    start = notes.name_being_typed(request.GET.get(f"{NOTE_PREFIX}-text", ""))
    found = selectors.colleagues_matching(start, excluding=request.staff)
    context = {"complaint": complaint, "colleagues": found}
    return render(request, "complaints/_colleagues.html", context)
