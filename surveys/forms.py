from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcrm.lib.forms import KrdsFormMixin
from pcrm.org.models import Staff
from surveys.models import Call, Question

LIKERT5 = [
    (1, _("매우 불만족")),
    (2, _("불만족")),
    (3, _("보통")),
    (4, _("만족")),
    (5, _("매우 만족")),
]


def _likert7():
    labels = {1: _("전혀 그렇지 않다"), 4: _("보통"), 7: _("매우 그렇다")}
    return [(n, f"{n} {labels[n]}" if n in labels else str(n)) for n in range(1, 8)]


def _field_for(question: Question, *, required: bool) -> forms.Field:
    messages = {"required": _("이 문항에 답해 주세요.")}
    if question.kind == Question.Kind.TEXT:
        return forms.CharField(
            label=question.text,
            required=required,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4, "class": "krds-input"}),
            error_messages=messages,
        )
    if question.kind == Question.Kind.LIKERT5:
        choices = LIKERT5
    elif question.kind == Question.Kind.LIKERT7:
        choices = _likert7()
    elif question.kind == Question.Kind.YES_NO:
        choices = [(1, _("예")), (0, _("아니요"))]
    else:
        choices = list(enumerate(question.choices))
    return forms.TypedChoiceField(
        label=question.text,
        choices=choices,
        coerce=int,
        required=required,
        widget=forms.RadioSelect,
        error_messages=messages,
    )


class QuestionsMixin:
    """One field per question, named ``q<id>``; ``answers()`` maps question ids to values."""

    def add_questions(self, questions, *, required: bool = True):
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = _field_for(
                question, required=required and question.required
            )

    def question_fields(self):
        return [self[f"q{question.pk}"] for question in self.questions]

    def answers(self) -> dict[int, object]:
        return {
            question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions
        }


class SurveyForm(QuestionsMixin, forms.Form):
    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(questions)


class CallAttemptForm(QuestionsMixin, KrdsFormMixin, forms.Form):
    """The outcome of one try; the script's questions are required only when reached."""

    outcome = forms.ChoiceField(
        label=_("통화 결과"),
        choices=Call.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("통화 결과를 골라 주세요.")},
    )
    note = forms.CharField(
        label=_("메모"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    intent_note = forms.CharField(
        label=_("질의의도 분석 (불만 고객에게 걸기 전에 적습니다)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(questions, required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") in (Call.Outcome.REACHED, Call.Outcome.DISSATISFIED):
            for question in self.questions:
                if question.required and data.get(f"q{question.pk}") in (None, ""):
                    self.add_error(f"q{question.pk}", _("통화한 경우 이 문항의 답을 적어 주세요."))
        return data


class CourtesyForm(KrdsFormMixin, forms.Form):
    staff = forms.ModelChoiceField(
        label=_("평가 대상 직원"),
        queryset=Staff.objects.filter(active=True, team__isnull=False)
        .select_related("team")
        .order_by("team__name", "name"),
        empty_label=_("직원을 고르세요"),
        error_messages={"required": _("평가할 직원을 고르세요.")},
    )
    evaluated_on = forms.DateField(
        label=_("평가일"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("평가일을 적어 주세요.")},
    )
    scenario = forms.CharField(
        label=_("시나리오"),
        max_length=200,
        error_messages={"required": _("어떤 상황으로 전화했는지 적어 주세요.")},
    )
    notes = forms.CharField(
        label=_("의견"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.fields["evaluated_on"].initial = timezone.localdate()
        for item in self.items:
            self.fields[f"item{item.pk}"] = forms.DecimalField(
                label=_("%(name)s (%(max)s점)") % {"name": item.name, "max": item.max_points},
                min_value=0,
                max_value=item.max_points,
                decimal_places=1,
                error_messages={
                    "required": _("이 항목의 점수를 적어 주세요."),
                    "max_value": _("배점(%(limit_value)s점)을 넘을 수 없습니다."),
                    "min_value": _("0점보다 작을 수 없습니다."),
                },
                widget=forms.NumberInput(attrs={"class": "krds-input", "step": "0.5"}),
            )

    def item_fields(self):
        return [self[f"item{item.pk}"] for item in self.items]

    def points(self):
        return {item.pk: self.cleaned_data[f"item{item.pk}"] for item in self.items}


class InterviewForm(KrdsFormMixin, forms.Form):
    held_on = forms.DateField(
        label=_("면담일"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("면담일을 적어 주세요.")},
    )
    content = forms.CharField(
        label=_("면담 내용"),
        widget=forms.Textarea,
        error_messages={"required": _("면담 내용을 적어 주세요.")},
    )
    actions = forms.CharField(
        label=_("개선 약속"),
        widget=forms.Textarea,
        error_messages={"required": _("함께 정한 개선 약속을 적어 주세요.")},
    )
    reevaluation_on = forms.DateField(
        label=_("재평가일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
