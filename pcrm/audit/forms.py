from django import forms
from django.utils.translation import gettext_lazy as _

from pcrm.audit.models import AccessLog
from pcrm.lib.forms import KrdsFormMixin


class AccessLogFilterForm(KrdsFormMixin, forms.Form):
    date_from = forms.DateField(
        label=_("시작일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("종료일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = forms.CharField(label=_("처리자 아이디"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("수행업무"),
        required=False,
        choices=[("", _("전체")), *AccessLog.Action.choices],
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("시작일이 종료일보다 늦습니다. 기간을 다시 선택하세요."))
        return cleaned
