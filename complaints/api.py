"""The complaints API: ``/api/v1/complaints/`` (list with filters, detail, registration,
one POST per workflow action) and the public deadline calculator ``/api/v1/deadline``.

Input is validated by the same forms as the staff pages and every action runs the same
service, so the page and the API cannot drift apart."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from citizens.access import can_see_flags
from complaints import selectors, services, workflow
from complaints.actions import ACTIONS, FORMS
from complaints.forms import StaffComplaintForm
from complaints.models import Complaint
from pcrm.api.base import (
    CheckpointViewSet,
    IdFilter,
    MomentFilter,
    Named,
    form_serializer,
    require_object,
    validated,
)
from pcrm.api.errors import Conflict
from pcrm.lib.calendar import SEOUL, Period, PeriodError
from pcrm.org.access import serves, staff_of, visible_to
from pcrm.org.calendar import organisation_calendar


class CitizenRef(serializers.Serializer):
    """The complainant, masked as on every staff page."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="masked_label")


class ComplaintRow(serializers.Serializer):
    id = serializers.IntegerField()
    receipt_number = serializers.CharField()
    title = serializers.CharField(
        source="listed_title",
        help_text=gettext_lazy("목록에서는 제목 속 전화번호·주민등록번호·이름 등을 가립니다."),
    )
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    channel = serializers.CharField()
    category = Named()
    team = Named()
    assignee = Named(allow_null=True)
    citizen = CitizenRef()
    vulnerable = serializers.SerializerMethodField(
        help_text=gettext_lazy("취약고객 여부. 볼 수 없는 직원에게는 null.")
    )
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    same_day_due_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_vulnerable(self, complaint) -> bool | None:
        return complaint.citizen.vulnerable if self.context.get("sees_flags") else None


class EventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    staff = Named(allow_null=True)
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    public = serializers.BooleanField()


class AnswerOut(serializers.Serializer):
    at = serializers.DateTimeField()
    text = serializers.CharField()
    refusal = serializers.BooleanField()
    refusal_reason = serializers.CharField()
    remedy = serializers.CharField()
    staff = Named()


class ComplaintDetail(ComplaintRow):
    title = serializers.CharField(help_text=gettext_lazy("제목 그대로"))
    body = serializers.CharField()
    period = serializers.CharField()
    statutory_due_at = serializers.DateTimeField()
    extended_at = serializers.DateTimeField(allow_null=True)
    extension_reason = serializers.CharField()
    unclear = serializers.BooleanField()
    intent_note = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)
    rating = serializers.IntegerField(allow_null=True)
    events = EventOut(many=True, source="event_list")
    answers = AnswerOut(many=True, source="answer_list")
    actions = serializers.ListField(
        child=serializers.CharField(),
        source="action_list",
        help_text=gettext_lazy("지금 이 직원이 할 수 있는 처리(POST /complaints/{id}/{처리}/)"),
    )


class ComplaintState(serializers.Serializer):
    """What an action or a registration left: enough to carry on (the complaint may now
    belong to another team, whose details this member of staff no longer sees)."""

    id = serializers.IntegerField()
    receipt_number = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    team = Named()
    assignee = Named(allow_null=True)
    due_at = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy("이송되어 더 볼 수 없는 민원이면 null")
    )
    answered_at = serializers.DateTimeField(allow_null=True)


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Complaint.Status.choices)
    category = IdFilter(field_name="category_id")
    team = IdFilter(field_name="team_id")
    assignee = IdFilter(field_name="assignee_id")
    channel = django_filters.ChoiceFilter(choices=Complaint.Channel.choices)
    received_after = MomentFilter(field_name="received_at", lookup_expr="gte")
    received_before = MomentFilter(field_name="received_at", lookup_expr="lt")
    due_before = MomentFilter(field_name="due_at", lookup_expr="lt")
    vulnerable = django_filters.BooleanFilter(
        method="filter_vulnerable", label=gettext_lazy("취약고객만 (볼 수 있는 직원)")
    )
    q = django_filters.CharFilter(
        method="filter_q", max_length=100, label=gettext_lazy("접수번호, 또는 제목·내용의 글자")
    )
    ordering = django_filters.OrderingFilter(fields=("received_at", "due_at"))

    class Meta:
        model = Complaint
        fields: list[str] = []

    def filter_vulnerable(self, queryset, name, value):
        if value is None or not can_see_flags(staff_of(self.request.user)):
            return queryset
        return queryset.filter(citizen__vulnerable=value)

    def filter_q(self, queryset, name, value):
        return selectors.matching(queryset, value)


# a stand-in complaint, to list an action form's fields for the schema
_NO_COMPLAINT = SimpleNamespace(pk=None, team_id=None, citizen_id=None)


def _action_input(name: str):
    form_name = ACTIONS[name].form
    if form_name is None:
        return None
    return form_serializer(
        f"{name.title().replace('_', '')}Input", lambda: FORMS[form_name](_NO_COMPLAINT, None, None)
    )


def _workflow_action(name: str):
    """A POST endpoint for one action of the table (complaints.actions), documented with
    its label and its form's fields."""

    def decorate(method):
        method.__doc__ = str(ACTIONS[name].label)
        method = extend_schema(request=_action_input(name), responses=ComplaintState)(method)
        return action(detail=True, methods=["post"])(method)

    return decorate


class ComplaintViewSet(mixins.ListModelMixin, CheckpointViewSet):
    """민원: 목록·조회·접수, 그리고 처리(배정, 답변, 이송 …)."""

    model = Complaint
    filterset_class = ComplaintFilter

    def base_queryset(self):
        return Complaint.objects.select_related("category", "team", "assignee", "citizen")

    def get_queryset(self):
        return super().get_queryset().order_by("-received_at", "-id")

    def get_serializer_class(self):
        if self.action == "create":
            return form_serializer("ComplaintInput", StaffComplaintForm)
        return ComplaintRow if self.action == "list" else ComplaintDetail

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sees_flags": can_see_flags(self.staff)}

    @extend_schema(responses=ComplaintDetail)
    def retrieve(self, request, pk=None):
        complaint = self.get_object()
        complaint.event_list = list(complaint.events.select_related("staff").order_by("at", "id"))
        complaint.answer_list = list(complaint.answers.select_related("staff").order_by("at"))
        complaint.action_list = sorted(workflow.permitted_actions(self.staff, complaint))
        return Response(ComplaintDetail(complaint, context=self.get_serializer_context()).data)

    def _state(self, pk: int, status_code=status.HTTP_200_OK) -> Response:
        """Through the checkpoint: a complaint this member of staff has just sent to
        another team is no longer theirs to see; they learn only where it went."""
        complaint = (
            visible_to(self.request.user, Complaint)
            .select_related("team", "assignee")
            .filter(pk=pk)
            .first()
        )
        if complaint is not None:
            return Response(ComplaintState(complaint).data, status=status_code)
        gone = (
            Complaint.objects.select_related("team")
            .only("receipt_number", "status", "team__name")
            .get(pk=pk)
        )
        body = {
            "id": gone.pk,
            "receipt_number": gone.receipt_number,
            "status": gone.status,
            "status_display": gone.get_status_display(),
            "team": {"id": gone.team_id, "name": gone.team.name},
            "assignee": None,
            "due_at": None,
            "answered_at": None,
        }
        return Response(body, status=status_code)

    @extend_schema(responses={200: ComplaintState, 201: ComplaintState})
    def create(self, request):
        """Registering a complaint taken by phone, visit or letter; ``submission_key`` makes
        a retried request return the first complaint (200) instead of filing it twice."""
        if not serves(self.staff):
            raise PermissionDenied
        require_object(request.data)
        form = StaffComplaintForm(request.data)
        data = validated(form)
        complaint, _secret, created = services.complaint_file(
            form.filing(channel=data["channel"], staff=self.staff, consent_source=data["channel"])
        )
        return self._state(complaint.pk, status.HTTP_201_CREATED if created else 200)

    def _act(self, request, name: str, pk=None):
        complaint = self.get_object()
        entry = ACTIONS[name]
        data = {}
        if entry.form:
            require_object(request.data)
            data = validated(FORMS[entry.form](complaint, request.data, request.FILES))
        try:
            entry.run(request, complaint, data)
        except workflow.TransitionError as exc:
            raise Conflict(str(exc)) from None
        return self._state(complaint.pk)

    @_workflow_action("take")
    def take(self, request, pk=None):
        return self._act(request, "take", pk)

    @_workflow_action("assign")
    def assign(self, request, pk=None):
        return self._act(request, "assign", pk)

    @_workflow_action("start")
    def start(self, request, pk=None):
        return self._act(request, "start", pk)

    @_workflow_action("supplement")
    def supplement(self, request, pk=None):
        return self._act(request, "supplement", pk)

    @_workflow_action("resume")
    def resume(self, request, pk=None):
        return self._act(request, "resume", pk)

    @_workflow_action("intent")
    def intent(self, request, pk=None):
        return self._act(request, "intent", pk)

    @_workflow_action("unclear")
    def unclear(self, request, pk=None):
        return self._act(request, "unclear", pk)

    @_workflow_action("call")
    def call(self, request, pk=None):
        return self._act(request, "call", pk)

    @_workflow_action("answer")
    def answer(self, request, pk=None):
        return self._act(request, "answer", pk)

    @_workflow_action("close")
    def close(self, request, pk=None):
        return self._act(request, "close", pk)

    @_workflow_action("transfer")
    def transfer(self, request, pk=None):
        return self._act(request, "transfer", pk)

    @_workflow_action("withdraw")
    def withdraw(self, request, pk=None):
        return self._act(request, "withdraw", pk)

    @_workflow_action("reopen")
    def reopen(self, request, pk=None):
        return self._act(request, "reopen", pk)

    @_workflow_action("duplicate")
    def duplicate(self, request, pk=None):
        return self._act(request, "duplicate", pk)

    @_workflow_action("propose_repeat")
    def propose_repeat(self, request, pk=None):
        return self._act(request, "propose_repeat", pk)

    @_workflow_action("approve_repeat")
    def approve_repeat(self, request, pk=None):
        return self._act(request, "approve_repeat", pk)

    @_workflow_action("reject_repeat")
    def reject_repeat(self, request, pk=None):
        return self._act(request, "reject_repeat", pk)

    @_workflow_action("extend")
    def extend(self, request, pk=None):
        return self._act(request, "extend", pk)


class DeadlineQuery(serializers.Serializer):
    received_at = serializers.CharField()
    period = serializers.CharField()

    def validate_received_at(self, value: str) -> datetime:
        # a "+" left unencoded in a query string arrives as a space
        text = value.strip().replace(" ", "+")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise serializers.ValidationError(
                _("ISO 8601 형식의 일시를 적으세요. 예: 2026-11-23T10:00+09:00")
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=SEOUL)

    def validate_period(self, value: str) -> Period:
        try:
            return Period.parse(value)
        except PeriodError:
            raise serializers.ValidationError(
                _("처리기간은 immediate, 8h(시간), 3d(일), 2w(주) 꼴로 적으세요.")
            ) from None


def _iso(moment: datetime) -> str:
    local = moment.astimezone(SEOUL)
    spec = "minutes" if local.second == 0 and local.microsecond == 0 else "seconds"
    return local.isoformat(timespec=spec)


class DeadlineOut(serializers.Serializer):
    received_at = serializers.CharField()
    period = serializers.CharField()
    due_at = serializers.CharField()


class DeadlineView(APIView):
    """처리기한 계산 (공개): 접수일시와 처리기간으로 법정 처리기한을 셉니다."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(parameters=[DeadlineQuery], responses=DeadlineOut, auth=[])
    def get(self, request):
        query = DeadlineQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        received_at, period = query.validated_data["received_at"], query.validated_data["period"]
        due_at = organisation_calendar().due_at(received_at, period)
        return Response(
            {"received_at": _iso(received_at), "period": str(period), "due_at": _iso(due_at)}
        )
