from django import forms
from django.utils.translation import gettext_lazy as _

from pcrm.lib.forms import KrdsFormMixin


class WeightsForm(KrdsFormMixin, forms.Form):
    def __init__(self, indicators, current, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[indicator.code] = forms.DecimalField(
                label=indicator.label,
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=current[indicator.code],
                error_messages={"required": _("가중치를 적어 주세요. 쓰지 않는 지표는 0입니다.")},
            )

    def values(self):
        return {indicator.code: self.cleaned_data[indicator.code] for indicator in self.indicators}
