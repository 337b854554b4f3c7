from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizens import segments
from citizens.consents import COMPLAINT_PROCESSING, OPTIONAL
from citizens.models import Citizen, Relationship, VulnerabilityFlag
from pcrm.lib.forms import KrdsFormMixin, clean_phone_value
from pcrm.org.models import Staff


class CitizenForm(KrdsFormMixin, forms.ModelForm):
    phone = forms.CharField(
        label=_("전화번호"),
        required=False,
        max_length=20,
        help_text=_("예: 010-1234-5678"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("이메일"), required=False, max_length=254)

    class Meta:
        model = Citizen
        fields = [
            "kind",
            "name",
            "organisation_name",
            "contact_person",
            "phone",
            "email",
            "sigungu",
            "dong",
            "birth_year",
            "gender",
            "preferred_language",
            "preferred_channel",
            "do_not_call",
            "do_not_contact",
        ]
        help_texts = {"birth_year": _("주민등록번호는 받지 않습니다. 출생연도만 적습니다.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Editing never shows contact details in clear: the fields start empty with the
            # masked value as a hint, and an empty field keeps what is stored.
            for name, masked in (
                ("phone", self.instance.masked_phone),
                ("email", self.instance.masked_email),
            ):
                self.initial[name] = ""
                if masked:
                    self.fields[name].widget.attrs["placeholder"] = masked
                    self.fields[name].help_text = _(
                        "바꿀 때만 새로 적으세요. 비워 두면 그대로 둡니다."
                    )

    def clean_phone(self):
        phone = clean_phone_value(self.cleaned_data.get("phone"))
        return phone or (self.instance.phone if self.instance.pk else "")

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        return email or (self.instance.email if self.instance.pk else "")

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("출생연도가 올해보다 늦을 수 없습니다."))
        return year

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.errors:
            raise forms.ValidationError(_("전화번호나 이메일 중 하나는 적어야 연락할 수 있습니다."))
        if cleaned.get("kind") == Citizen.Kind.INSTITUTION and not cleaned.get("organisation_name"):
            self.add_error("organisation_name", _("기관 고객은 기관명을 적어야 합니다."))
        return cleaned

    def profile_data(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class CitizenCreateForm(CitizenForm):
    """Registration by staff records how the citizen consented (e.g. on the phone)."""

    consent_required = forms.BooleanField(
        label=COMPLAINT_PROCESSING.title,
        required=True,
        error_messages={"required": _("필수 동의를 받은 뒤에 등록할 수 있습니다.")},
    )
    consent_source = forms.ChoiceField(
        label=_("동의 경로"),
        choices=[("phone", _("전화")), ("visit", _("방문")), ("letter", _("서면"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for text in OPTIONAL:
            self.fields[f"consent_{text.purpose}"] = forms.BooleanField(
                label=text.title, required=False, widget=forms.CheckboxInput()
            )

    def consents(self) -> dict:
        decisions = {COMPLAINT_PROCESSING: True}
        for text in OPTIONAL:
            decisions[text] = bool(self.cleaned_data.get(f"consent_{text.purpose}"))
        return decisions


class RevealForm(KrdsFormMixin, forms.Form):
    purpose = forms.CharField(
        label=_("열람 사유"),
        max_length=200,
        help_text=_("예: 민원 회신 전화. 사유는 개인정보 접속기록에 남습니다."),
        error_messages={"required": _("연락처를 보려면 사유를 적어야 합니다.")},
    )


class FlagForm(KrdsFormMixin, forms.ModelForm):
    class Meta:
        model = VulnerabilityFlag
        fields = ["kind", "reason", "review_on"]
        widgets = {"review_on": forms.DateInput(attrs={"type": "date"})}

    def clean_review_on(self):
        review_on = self.cleaned_data["review_on"]
        if review_on <= timezone.localdate():
            raise forms.ValidationError(_("재검토일은 오늘 이후로 정하세요."))
        return review_on


class ReviewForm(KrdsFormMixin, forms.Form):
    next_review_on = forms.DateField(
        label=_("다음 재검토일"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_next_review_on(self):
        value = self.cleaned_data["next_review_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("다음 재검토일은 오늘 이후로 정하세요."))
        return value


class RelationshipForm(KrdsFormMixin, forms.ModelForm):
    class Meta:
        model = Relationship
        fields = ["category", "owner", "interest", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Staff.objects.filter(active=True).order_by("name")


class ImportForm(KrdsFormMixin, forms.Form):
    file = forms.FileField(
        label=_("파일 (CSV 또는 XLSX)"),
        help_text=_("첫 줄은 제목 줄입니다. 양식은 내보내기 파일과 같습니다."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("CSV 또는 XLSX 파일만 올릴 수 있습니다."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("파일이 5MB보다 큽니다. 나누어 올려 주세요."))
        return upload


class LetterForm(KrdsFormMixin, forms.Form):
    title = forms.CharField(
        label=_("제목"), max_length=200, error_messages={"required": _("제목을 적어 주세요.")}
    )
    body = forms.CharField(
        label=_("본문"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("{이름} 자리에 받는 분의 이름이 들어갑니다."),
        error_messages={"required": _("본문을 적어 주세요.")},
    )
    audience = forms.ChoiceField(
        label=_("받는 분"),
        choices=[
            ("friendly", _("우호고객")),
            ("institutional", _("기관고객")),
            ("relationships", _("우호·기관고객 전체")),
            ("segment", _("고객집단")),
        ],
    )
    age = forms.ChoiceField(
        label=_("연령대 (고객집단일 때)"),
        required=False,
        error_messages={"invalid_choice": _("목록에서 연령대를 고르세요.")},
    )
    channel = forms.ChoiceField(
        label=_("선호 연락 수단 (고객집단일 때)"),
        required=False,
        error_messages={"invalid_choice": _("목록에서 연락 수단을 고르세요.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the same buckets as the segment filters: a value either filters or is refused
        for dimension in segments.dimensions():
            if dimension.key in ("age", "channel"):
                self.fields[dimension.key].choices = [
                    ("", _("전체")),
                    *((b.key, b.label) for b in dimension.buckets),
                ]

    def clean(self):
        data = super().clean()
        if data.get("audience") == "segment" and not (data.get("age") or data.get("channel")):
            self.add_error("age", _("고객집단에 보내려면 연령대나 선호 연락 수단을 고르세요."))
        return data

    def letter_data(self) -> dict:
        data = self.cleaned_data
        segment = {k: data[k] for k in ("age", "channel") if data.get(k)}
        return {
            "title": data["title"],
            "body": data["body"],
            "audience": data["audience"],
            "segment": segment if data["audience"] == "segment" else {},
        }


class ScheduleForm(KrdsFormMixin, forms.Form):
    at = forms.DateTimeField(
        label=_("발송 일시 (비우면 지금)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    # the number of recipients the sender saw and confirmed; scheduling is refused if
    # the audience has changed since (the page shows the new number to confirm again)
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirmed = forms.BooleanField(
        label=_("받는 분 수와 내용을 확인했습니다."),
        error_messages={"required": _("보내기 전에 받는 분 수와 내용을 확인해 주세요.")},
    )
