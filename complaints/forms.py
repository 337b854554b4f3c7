import uuid

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from citizens.consents import COMPLAINT_PROCESSING, OPTIONAL
from complaints import files, selectors
from complaints.models import AnswerText, CallLog, Category, Complaint
from complaints.services import Filing
from pcrm.lib.forms import KrdsFormMixin, clean_phone_value
from pcrm.org.calendar import organisation_calendar
from pcrm.org.models import Staff


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        data = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in data]


def checked_uploads(uploads) -> list[tuple]:
    """At most three files, each checked by its content: ``(file, content_type)`` pairs,
    or every problem at once."""
    uploads = uploads or []
    if len(uploads) > files.MAX_FILES:
        raise forms.ValidationError(_("첨부파일은 3개까지 올릴 수 있습니다."))
    checked, problems = [], []
    for upload in uploads:
        try:
            checked.append((upload, files.check(upload)))
        except files.AttachmentError as exc:
            problems.append(str(exc))
    if problems:
        raise forms.ValidationError(problems)
    return checked


ATTACHMENTS_HELP = _(
    "PDF, JPG, PNG, HWP, HWPX 파일을 3개까지, 한 파일에 10MB까지 올릴 수 있습니다."
)


class CategoryChoiceField(forms.ModelChoiceField):
    """Each category shows when its answer is due if filed now."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._calendar = None
        self._now = None

    def to_python(self, value):
        """The chosen category from the ones kept in memory: no query per filing."""
        if value in self.empty_values:
            return None
        try:
            return selectors.active_categories()[int(value)]
        except (KeyError, TypeError, ValueError):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def label_from_instance(self, category):
        if self._calendar is None:
            self._calendar, self._now = organisation_calendar(), timezone.now()
        due = timezone.localtime(self._calendar.due_at(self._now, category.period))
        return _("%(name)s — 처리기간 %(period)s, 답변 예정 %(due)s") % {
            "name": category.name,
            "period": category.period_label,
            "due": formats.date_format(due, "n월 j일(D) H:i"),
        }


class ComplaintForm(KrdsFormMixin, forms.Form):
    """The public filing form; staff registration adds the channel."""

    category = CategoryChoiceField(
        label=_("민원 유형"),
        queryset=Category.objects.filter(active=True).order_by("name"),
        empty_label=_("유형을 고르세요"),
        error_messages={"required": _("민원 유형을 고르세요.")},
    )
    title = forms.CharField(
        label=_("제목"), max_length=200, error_messages={"required": _("제목을 적어 주세요.")}
    )
    body = forms.CharField(
        label=_("내용"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("민원 내용을 적어 주세요.")},
    )
    attachments = MultipleFileField(
        label=_("첨부파일 (선택)"), required=False, help_text=ATTACHMENTS_HELP
    )
    name = forms.CharField(
        label=_("이름"), max_length=50, error_messages={"required": _("이름을 적어 주세요.")}
    )
    phone = forms.CharField(
        label=_("휴대전화"),
        max_length=20,
        required=False,
        help_text=_("처리 결과를 문자로 알려 드리고, 조회할 때 끝 네 자리를 씁니다."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("이메일"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent_required = forms.BooleanField(
        label=_("위 내용을 읽었으며 개인정보 수집·이용에 동의합니다. (필수)"),
        error_messages={"required": _("민원을 접수하려면 필수 항목에 동의해 주세요.")},
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        for text in OPTIONAL:
            self.fields[f"consent_{text.purpose}"] = forms.BooleanField(
                label=_("동의합니다 (선택)"), required=False
            )
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    optional_texts = OPTIONAL
    required_text = COMPLAINT_PROCESSING

    def optional_consent_fields(self):
        return [(text, self[f"consent_{text.purpose}"]) for text in OPTIONAL]

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data.get("phone"))

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_attachments(self):
        return checked_uploads(self.cleaned_data.get("attachments"))

    def clean(self):
        cleaned = super().clean()
        if "phone" in cleaned and "email" in cleaned and not (cleaned["phone"] or cleaned["email"]):
            self.add_error(
                "phone", _("처리 결과를 알려 드릴 휴대전화나 이메일 중 하나는 적어 주세요.")
            )
        return cleaned

    def filing(self, **extra) -> Filing:
        data = self.cleaned_data
        return Filing(
            category=data["category"],
            title=data["title"].strip(),
            body=data["body"].strip(),
            name=data["name"].strip(),
            phone=data["phone"],
            email=data["email"],
            consents={t: bool(data.get(f"consent_{t.purpose}")) for t in OPTIONAL},
            attachments=data["attachments"],
            submission_key=data.get("submission_key"),
            **extra,
        )


class StaffComplaintForm(ComplaintForm):
    channel = forms.ChoiceField(
        label=_("접수 경로"),
        choices=[
            (Complaint.Channel.PHONE, _("전화")),
            (Complaint.Channel.VISIT, _("방문")),
            (Complaint.Channel.LETTER, _("서면")),
        ],
    )
    field_order = ["channel"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_required"].label = _(
            "민원인에게 필수 동의 내용을 안내하고 동의를 받았습니다."
        )


class Open311FilingForm(forms.Form):
    """A filing through Open311 (GeoReport v2 ``POST requests``), validated as the staff
    forms are; the view answers the first problem in the specification's error format."""

    service_code = forms.ModelChoiceField(
        queryset=Category.objects.filter(active=True),
        error_messages={
            "required": _("그런 서비스 코드가 없습니다."),
            "invalid_choice": _("그런 서비스 코드가 없습니다."),
        },
    )
    description = forms.CharField(
        max_length=10000, error_messages={"required": _("description(민원 내용)을 적어 주세요.")}
    )
    address_string = forms.CharField(max_length=300, required=False)
    lat = forms.CharField(max_length=30, required=False)
    long = forms.CharField(max_length=30, required=False)
    consent = forms.CharField(max_length=10, required=False)
    phone = forms.CharField(max_length=30, required=False)
    email = forms.EmailField(max_length=254, required=False)
    first_name = forms.CharField(max_length=50, required=False)
    last_name = forms.CharField(max_length=50, required=False)

    # which problem is reported first, as the specification's clients expect
    ORDER = ("service_code", "description", "location", "consent", "phone", "email", "contact")

    def __init__(self, *args, consent_agreed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_agreed = consent_agreed

    def clean_phone(self):
        try:
            return clean_phone_value(self.cleaned_data.get("phone"))
        except forms.ValidationError:
            raise forms.ValidationError(_("전화번호를 010-1234-5678처럼 적어 주세요.")) from None

    def clean(self):
        data = super().clean()
        latitude = (data.get("lat") or "").strip()
        data["location"] = (data.get("address_string") or "").strip() or (
            f"{latitude}, {(data.get('long') or '').strip()}" if latitude else ""
        )
        if not data["location"]:
            self.add_error(
                None,
                forms.ValidationError(
                    _("위치(address_string 또는 lat와 long)를 적어 주세요."), code="location"
                ),
            )
        consent = (data.get("consent") or "").lower()
        if consent in {"false", "0", "no"} or (
            not self.consent_agreed and consent not in {"true", "1", "yes"}
        ):
            self.add_error(
                None,
                forms.ValidationError(
                    _("개인정보 수집·이용 동의(consent=true)가 있어야 접수합니다."), code="consent"
                ),
            )
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors:
            self.add_error(
                None,
                forms.ValidationError(
                    _("결과를 알려 드릴 phone 또는 email을 적어 주세요."), code="contact"
                ),
            )
        return data

    def first_problem(self) -> tuple[int, str]:
        """(status, message) of the first problem: an unknown service is a 404."""
        problems = {name: errors[0] for name, errors in self.errors.items() if name != "__all__"}
        for error in self.errors.as_data().get("__all__", []):
            problems[error.code] = error.messages[0]
        for name in self.ORDER:
            if name in problems:
                return (404 if name == "service_code" else 400), problems[name]
        name, message = next(iter(problems.items()))
        return 400, message


class InboxFilterForm(KrdsFormMixin, forms.Form):
    q = forms.CharField(label=_("접수번호·제목·내용"), required=False, max_length=100)
    category = forms.ModelChoiceField(
        label=_("민원 유형"),
        queryset=Category.objects.order_by("name"),
        required=False,
        empty_label=_("전체"),
    )
    status = forms.ChoiceField(
        label=_("상태"),
        required=False,
        choices=[("", _("전체"))]
        + [(s.value, s.label) for s in Complaint.Status if s.value in Complaint.OPEN_STATUSES],
    )
    channel = forms.ChoiceField(
        label=_("접수 경로"), required=False, choices=[("", _("전체")), *Complaint.Channel.choices]
    )
    vulnerable = forms.BooleanField(label=_("취약고객만"), required=False)
    due = forms.ChoiceField(
        label=_("처리기한"),
        required=False,
        choices=[("", _("전체")), ("this_month", _("이번 달")), ("next_month", _("다음 달"))],
    )


class NoteForm(KrdsFormMixin, forms.Form):
    note = forms.CharField(
        label=_("내용"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class InternalNoteForm(KrdsFormMixin, forms.Form):
    """An internal note. Colleagues are mentioned by ``@이름`` in the text (with the
    autocomplete where JavaScript runs) or chosen from ``mention`` (the notes page)."""

    text = forms.CharField(
        label=_("내부 메모 (민원인에게 보이지 않습니다)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("@이름으로 동료를 부르면 그 동료에게 알림이 갑니다."),
        error_messages={"required": _("메모 내용을 적어 주세요.")},
    )
    mention = forms.ModelMultipleChoiceField(
        label=_("알릴 동료"),
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, choose=False, suggest="", **kwargs):
        super().__init__(*args, **kwargs)
        if suggest:  # the autocomplete: colleagues for what follows the last "@" (htmx)
            self.fields["text"].widget.attrs.update(
                {
                    "hx-get": suggest,
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "#mention-suggestions",
                    "hx-swap": "outerHTML",
                    "hx-include": "this",
                    "data-mentions": self.add_prefix("mention"),
                }
            )
        # the whole list only where it is shown (the notes page); a posted choice is
        # checked against the active staff either way
        people = Staff.objects.filter(active=True).select_related("team")
        self.fields["mention"].queryset = people.order_by("team__name", "name", "id")
        self.fields["mention"].label_from_instance = lambda staff: (
            f"{staff.name} · {staff.team.name}" if staff.team_id else staff.name
        )
        self.choose = choose


class AnswerTextForm(KrdsFormMixin, forms.Form):
    title = forms.CharField(label=_("제목"), max_length=100)
    text = forms.CharField(
        label=_("문구"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("넣을 때 채워지는 자리: {민원인} {접수번호} {처리기한} {담당자} {부서 전화}"),
    )
    scope = forms.ChoiceField(
        label=_("쓰는 곳"),
        choices=AnswerText.Scope.choices,
        initial=AnswerText.Scope.TEAM,
        widget=forms.RadioSelect,
    )


class OptionalNoteForm(NoteForm):
    note = forms.CharField(
        label=_("메모 (선택)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


class AssignForm(KrdsFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(label=_("담당자"), queryset=None)

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        from pcrm.org.models import Staff

        self.fields["assignee"].queryset = Staff.objects.filter(team=team, active=True).order_by(
            "name"
        )


class AnswerForm(KrdsFormMixin, forms.Form):
    text = forms.CharField(
        label=_("답변"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000
    )
    refusal = forms.BooleanField(label=_("요구를 받아들이지 않는 답변(거부)입니다"), required=False)
    refusal_reason = forms.CharField(
        label=_("거부 사유"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    remedy = forms.CharField(
        label=_("구제절차 안내"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("예: 처분이 있음을 안 날부터 90일 안에 행정심판을 청구할 수 있습니다."),
    )
    attachments = MultipleFileField(label=_("첨부파일 (선택)"), required=False)

    def clean_attachments(self):
        return checked_uploads(self.cleaned_data.get("attachments"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("refusal"):
            if not (cleaned.get("refusal_reason") or "").strip():
                self.add_error("refusal_reason", _("거부 사유를 적어 주세요."))
            if not (cleaned.get("remedy") or "").strip():
                self.add_error("remedy", _("이의신청·행정심판 등 구제절차를 안내해 주세요."))
        return cleaned


class CallForm(KrdsFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("결과"), choices=CallLog.Outcome.choices)
    note = forms.CharField(
        label=_("통화 내용"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TransferForm(KrdsFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("이송할 팀"), queryset=None)
    note = forms.CharField(
        label=_("이송 사유"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, exclude_team=None, **kwargs):
        super().__init__(*args, **kwargs)
        from pcrm.org.models import Team

        self.fields["team"].queryset = Team.objects.exclude(pk=exclude_team).order_by("name")


class ExtendForm(KrdsFormMixin, forms.Form):
    new_day = forms.DateField(
        label=_("새 처리기한"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("연장 사유"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class DuplicateForm(KrdsFormMixin, forms.Form):
    receipt_number = forms.RegexField(
        label=_("원 민원 접수번호"),
        regex=r"^\s*\d{4}-\d{7}\s*$",
        error_messages={"invalid": _("접수번호는 2026-0001234처럼 적습니다.")},
    )


class RepeatForm(KrdsFormMixin, forms.Form):
    related = forms.ModelMultipleChoiceField(
        label=_("같은 내용의 이전 민원"),
        queryset=Complaint.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("반복민원으로 보는 이유"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        if complaint is not None:
            self.fields["related"].queryset = (
                Complaint.objects.filter(citizen_id=complaint.citizen_id)
                .exclude(pk=complaint.pk)
                .order_by("-received_at")
            )
            self.fields["related"].label_from_instance = lambda c: (
                f"{c.receipt_number} {c.title} ({c.get_status_display()})"
            )


class QAProposalForm(KrdsFormMixin, forms.Form):
    question = forms.CharField(
        label=_("질문"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "이름, 전화번호, 주소, 개인 사정처럼 개인정보로 보이는 곳은 표시해 드립니다. "
            "공개해도 되도록 고쳐 주세요."
        ),
        error_messages={"required": _("질문을 적어 주세요.")},
    )
    answer = forms.CharField(
        label=_("답변"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("답변을 적어 주세요.")},
    )
    keywords = forms.CharField(
        label=_("검색어"), max_length=200, required=False, help_text=_("쉼표로 나눠 적습니다.")
    )
    reviewed = forms.BooleanField(
        label=_("표시된 곳을 확인했고, 개인정보가 아닙니다."),
        required=False,
        help_text=_("개인정보로 보이는 곳이 표시되었을 때만 고르세요."),
    )


class QADecisionForm(QAProposalForm):
    """The leader's copy of the proposal, edited before approving (a return needs only
    its reason)."""

    decision = forms.ChoiceField(choices=[("approve", _("승인")), ("return", _("반려"))])
    note = forms.CharField(label=_("반려 사유 (반려할 때)"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        returning = self.data.get("decision") == "return"
        for name in ("question", "answer"):
            self.fields[name].required = not returning


class FAQSearchForm(forms.Form):
    q = forms.CharField(label=_("검색어"), required=False, max_length=100)
    category = forms.ModelChoiceField(
        label=_("민원 유형"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("전체"),
    )

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["category"].queryset = categories
