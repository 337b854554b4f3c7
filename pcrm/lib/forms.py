"""Form helpers every app's forms share: KRDS's classes on the widgets, and the one
reading of a telephone number typed into a form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pcrm.lib.phone import InvalidPhone, normalise_phone


class KrdsFormMixin:
    """KRDS classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "krds-form-select")
            elif isinstance(widget, forms.CheckboxInput):
                continue  # styled by the wrapping .krds-form-check
            elif isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "krds-input")
                widget.attrs.setdefault("rows", 4)
            else:
                widget.attrs.setdefault("class", "krds-input")


def clean_phone_value(raw: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return normalise_phone(raw)
    except InvalidPhone:
        raise forms.ValidationError(
            _("전화번호 형식이 올바르지 않습니다. 예: 010-1234-5678"), code="phone"
        ) from None
