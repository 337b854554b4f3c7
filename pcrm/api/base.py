"""What every API resource is built from."""

from __future__ import annotations

from datetime import UTC
from functools import cache

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from pcrm.org.access import get_for_user, staff_of, visible_to

MAX_ID = 2**63 - 1


class Named(serializers.Serializer):
    """A team, a member of staff or a category: its id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class CheckpointViewSet(viewsets.GenericViewSet):
    """Lists come from ``visible_to`` and single objects from ``get_for_user``: the same
    checkpoint as the pages, so what a page hides the API hides (404), and what a page
    refuses the API refuses (403)."""

    model: type
    lookup_value_regex = r"[0-9]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        request.staff = staff_of(request.user)  # as on the pages (the shared action table)

    @property
    def staff(self):
        """The caller's staff profile (the services take it as ``staff=``)."""
        return staff_of(self.request.user)

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        return self.base_queryset() & visible_to(self.request.user, self.model)

    def get_object(self):
        pk = int(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        return get_for_user(self.request.user, self.model, queryset=self.base_queryset(), pk=pk)


def validated(form: forms.Form) -> dict:
    """A page's form used on API input: its cleaned data, or a 400 with its messages."""
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    return form.cleaned_data


def require_object(data) -> None:
    if not hasattr(data, "get"):
        raise ValidationError({"non_field_errors": [_("JSON 객체({...})로 보내세요.")]})


def _serializer_field(field: forms.Field) -> serializers.Field:
    common = {"required": field.required, "help_text": str(field.label or "")}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(**common)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=field.choices, **common)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, forms.UUIDField):
        return serializers.UUIDField(**common)
    if isinstance(field, forms.EmailField):
        return serializers.EmailField(
            max_length=field.max_length, allow_blank=not field.required, **common
        )
    if isinstance(field, forms.FileField):
        return serializers.ListField(child=serializers.FileField(), **common)
    if isinstance(field, forms.RegexField):
        return serializers.RegexField(
            field.regex, max_length=field.max_length, allow_blank=not field.required, **common
        )
    return serializers.CharField(
        max_length=getattr(field, "max_length", None),
        allow_blank=not field.required,
        **common,
    )


class _Moment(forms.DateTimeField):
    """An ISO 8601 moment, compared in UTC (offsets PostgreSQL would refuse are fine)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = _Moment


class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number in the database's range."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@cache
def form_serializer(name: str, form_factory) -> type[serializers.Serializer]:
    """A serializer describing a form's fields, for the schema only: the form itself
    validates (one set of rules for the page and the API)."""
    fields = form_factory().fields
    attrs = {key: _serializer_field(field) for key, field in fields.items()}
    return type(name, (serializers.Serializer,), attrs)
