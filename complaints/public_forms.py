"""Forms citizens fill in after filing: tracking a complaint, withdrawing it, answering a
supplement request, proving a number for 내 민원."""

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from complaints.forms import ATTACHMENTS_HELP, MultipleFileField, checked_uploads
from pcrm.lib.forms import KrdsFormMixin, clean_phone_value


class WithdrawForm(KrdsFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("취하하는 까닭"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("취하하는 까닭을 적어 주세요.")},
    )
    confirmed = forms.BooleanField(
        label=_("취하하면 처리가 멈추고 되돌릴 수 없다는 것을 확인했습니다."),
        error_messages={"required": _("취하하려면 확인란을 골라 주세요.")},
    )


class SupplementReplyForm(KrdsFormMixin, forms.Form):
    """The citizen's answer to a supplement request, from the tracking page."""

    pause = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("보완 내용"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("보완할 내용을 적어 주세요.")},
    )
    attachments = MultipleFileField(
        label=_("보완 자료 (선택)"), required=False, help_text=ATTACHMENTS_HELP
    )

    def clean_attachments(self):
        return checked_uploads(self.cleaned_data.get("attachments"))


class MineStartForm(KrdsFormMixin, forms.Form):
    """내 민원: the number (or, for e-mail-only filers, the address) to prove."""

    contact = forms.CharField(
        label=_("휴대전화 번호 또는 이메일"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
        error_messages={"required": _("휴대전화 번호나 이메일을 적어 주세요.")},
    )

    def clean_contact(self):
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("이메일 형식이 올바르지 않습니다. 예: hong@example.kr")
                ) from None
            self.kind = "email"
            return value.lower()
        phone = clean_phone_value(value)
        if not phone.startswith("01"):
            raise forms.ValidationError(
                _("인증번호는 휴대전화로 보냅니다. 010으로 시작하는 번호를 적어 주세요.")
            )
        self.kind = "phone"
        return phone


class MineCodeForm(KrdsFormMixin, forms.Form):
    code = forms.RegexField(
        label=_("인증번호 6자리"),
        regex=r"^\s*\d{6}\s*$",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}
        ),
        error_messages={
            "required": _("받은 인증번호 6자리를 적어 주세요."),
            "invalid": _("인증번호는 숫자 6자리입니다."),
        },
    )


class TrackForm(KrdsFormMixin, forms.Form):
    receipt_number = forms.RegexField(
        label=_("접수번호"),
        regex=r"^\s*\d{4}-\d{7}\s*$",
        help_text=_("예: 2026-0001234"),
        error_messages={
            "required": _("접수번호를 적어 주세요."),
            "invalid": _("접수번호는 2026-0001234처럼 적습니다."),
        },
    )
    phone_last4 = forms.RegexField(
        label=_("휴대전화 끝 네 자리"),
        regex=r"^\s*\d{4}\s*$",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("휴대전화 끝 네 자리를 적어 주세요."),
            "invalid": _("숫자 네 자리를 적어 주세요."),
        },
    )
