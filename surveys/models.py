"""Surveys, calls and courtesy evaluations.

A questionnaire is versioned: once a campaign uses it, changes go into a new version, so
results always refer to the questions that were asked. A campaign asks one questionnaire
of one kind of respondent about target teams in a period. Invitations carry single-use
tokens (only their hash is looked up); responses of internal and cooperation surveys are
anonymous and keep no reference to the invitation, the respondent or the moment.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcrm.lib.channels import LABELS
from pcrm.lib.fields import EncryptedTextField


class Dimension(models.TextChoices):
    KINDNESS = "kindness", _("친절성")
    SPEED = "speed", _("신속성")
    ACCURACY = "accuracy", _("정확성")
    COOPERATION = "cooperation", _("협력도")
    OVERALL = "overall", _("전반만족")


class Questionnaire(models.Model):
    code = models.SlugField(_("코드"), max_length=40, db_index=False)
    version = models.PositiveSmallIntegerField(_("판"), default=1)
    title = models.CharField(_("제목"), max_length=200)
    intro = models.TextField(_("안내문"), blank=True)
    created_at = models.DateTimeField(_("만든 때"), default=timezone.now)

    class Meta:
        verbose_name = _("설문지")
        verbose_name_plural = _("설문지")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="questionnaire_version")
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT5 = "likert5", _("5점 척도")
        LIKERT7 = "likert7", _("7점 척도")
        YES_NO = "yes_no", _("예/아니요")
        CHOICE = "choice", _("단일 선택")
        TEXT = "text", _("자유 응답")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions", db_index=False
    )
    order = models.PositiveSmallIntegerField(_("순서"))
    text = models.CharField(_("문항"), max_length=300)
    kind = models.CharField(_("형식"), max_length=10, choices=Kind.choices)
    dimension = models.CharField(_("차원"), max_length=12, choices=Dimension.choices, blank=True)
    choices = models.JSONField(_("보기"), default=list, blank=True)
    required = models.BooleanField(_("필수"), default=True)

    class Meta:
        verbose_name = _("문항")
        verbose_name_plural = _("문항")
        ordering = ["questionnaire", "order"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "order"], name="question_order")
        ]

    def __str__(self):
        return f"{self.order}. {self.text}"

    @property
    def points(self) -> int | None:
        """The number of points of a Likert scale, else ``None``."""
        return {self.Kind.LIKERT5: 5, self.Kind.LIKERT7: 7}.get(self.kind)

    def score(self, value: int) -> Decimal | None:
        """A Likert answer on the 100-point scale: (x - 1) / (k - 1) * 100."""
        k = self.points
        if k is None:
            return None
        return (Decimal(value - 1) * 100 / Decimal(k - 1)).quantize(Decimal("0.01"))


class Campaign(models.Model):
    class Kind(models.TextChoices):
        POST_COMPLAINT = "post_complaint", _("민원 처리 후 조사")
        EXTERNAL = "external", _("외부고객 만족도")
        INTERNAL = "internal", _("내부고객 만족도")
        COOPERATION = "cooperation", _("부내협력도")
        HAPPY_CALL = "happy_call", _("해피콜 문항")
        CATCH_CALL = "catch_call", _("캐치콜 문항")

    ANONYMOUS = {Kind.INTERNAL, Kind.COOPERATION}
    STAFF_RESPONDENTS = ANONYMOUS

    name = models.CharField(_("이름"), max_length=200)
    kind = models.CharField(_("종류"), max_length=16, choices=Kind.choices)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("설문지"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("기간 이름"), max_length=40, help_text=_("예: 2026 상반기"))
    starts_on = models.DateField(_("시작일"))
    ends_on = models.DateField(_("종료일"))
    teams = models.ManyToManyField(
        "org.Team",
        verbose_name=_("대상 팀"),
        blank=True,
        related_name="+",
        help_text=_("비워 두면 모든 팀이 대상입니다."),
    )
    reminder_after_days = models.PositiveSmallIntegerField(_("재안내(일 후)"), default=3)
    valid_days = models.PositiveSmallIntegerField(_("응답 기한(일)"), default=14)
    active = models.BooleanField(_("진행 중"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("조사")
        verbose_name_plural = _("조사")
        ordering = ["-starts_on", "kind", "id"]
        indexes = [models.Index(fields=["kind", "active", "starts_on"], name="campaign_current")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period_order"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.period})"

    @property
    def anonymous(self) -> bool:
        return self.kind in self.ANONYMOUS


class Channel(models.TextChoices):
    WEB = "web", LABELS["web"]
    EMAIL = "email", LABELS["email"]
    SMS = "sms", LABELS["sms"]
    PHONE = "phone", LABELS["phone"]


class Invitation(models.Model):
    """One respondent asked about one team. The token itself is kept encrypted only to
    send the reminder; it is found by its hash."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    team = models.ForeignKey("org.Team", verbose_name=_("평가 대상 팀"), on_delete=models.PROTECT)
    channel = models.CharField(_("경로"), max_length=8, choices=Channel.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    token = EncryptedTextField()
    citizen = models.ForeignKey(
        "citizens.Citizen", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    staff = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    remind_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    used = models.BooleanField(default=False)
    # when it was used; never stored for anonymous surveys
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("조사 안내")
        verbose_name_plural = _("조사 안내")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "complaint"],
                condition=Q(complaint__isnull=False),
                name="invitation_once_per_complaint",
            ),
            models.UniqueConstraint(
                fields=["campaign", "staff", "team"],
                condition=Q(staff__isnull=False),
                name="invitation_once_per_staff_team",
            ),
            models.UniqueConstraint(
                fields=["campaign", "citizen", "team"],
                condition=Q(citizen__isnull=False, complaint__isnull=True),
                name="invitation_once_per_citizen_team",
            ),
        ]
        indexes = [
            models.Index(
                fields=["remind_at"],
                condition=Q(used=False, reminded_at__isnull=True, remind_at__isnull=False),
                name="invitation_reminder_due",
            )
        ]

    def __str__(self):
        return f"{self.campaign} → {self.team}"


class Response(models.Model):
    """A submitted questionnaire. Anonymous (internal, cooperation) responses keep only
    the campaign, the rated team and the answers: no invitation, no respondent, no time."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="responses", db_index=False
    )
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    overall = models.DecimalField(
        _("종합 점수"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("응답")
        verbose_name_plural = _("응답")
        indexes = [models.Index(fields=["campaign", "team"], name="response_campaign_team")]

    def __str__(self):
        return f"{self.campaign} #{self.pk}"


class ResponseItem(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="item_once_per_question")
        ]

    def __str__(self):
        return f"{self.question_id}: {self.value if self.value is not None else self.text}"


class DimensionScore(models.Model):
    """A response's mean score on one dimension (and on "overall" for all its Likert
    answers), kept so that results are one grouped aggregate."""

    TOTAL = "total"

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="scores", db_index=False
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, related_name="+")
    dimension = models.CharField(max_length=12)
    score = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "dimension"], name="score_once_per_dim")
        ]
        indexes = [models.Index(fields=["campaign", "team", "dimension"], name="score_group")]

    def __str__(self):
        return f"{self.dimension}={self.score}"


# --- calls -------------------------------------------------------------------------------------


class Call(models.Model):
    """A happy-call or catch-call task: a row with a due time, worked by its assignee."""

    class Kind(models.TextChoices):
        HAPPY = "happy", _("해피콜")
        CATCH = "catch", _("캐치콜")

    class Reason(models.TextChoices):
        ANSWERED = "answered", _("민원 답변 후 확인")
        LOW_RATING = "low_rating", _("낮은 만족도")
        VULNERABLE_OVERDUE = "vulnerable_overdue", _("취약고객 민원 기한 초과")
        REPEATED = "repeated", _("반복 민원인")
        DECLINED = "declined", _("해피콜 거절")

    class Status(models.TextChoices):
        OPEN = "open", _("진행 중")
        DONE = "done", _("통화 완료")
        REFUSED = "refused", _("통화 거절")
        UNREACHABLE = "unreachable", _("연결 안 됨")
        CANCELLED = "cancelled", _("취소")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("통화함")
        DISSATISFIED = "dissatisfied", _("통화함 (불만)")
        NO_ANSWER = "no_answer", _("받지 않음")
        REFUSED = "refused", _("거절")
        WRONG_NUMBER = "wrong_number", _("잘못된 번호")

    kind = models.CharField(_("종류"), max_length=6, choices=Kind.choices)
    reason = models.CharField(_("사유"), max_length=20, choices=Reason.choices)
    source = models.CharField(max_length=120, unique=True)
    citizen = models.ForeignKey(
        "citizens.Citizen",
        verbose_name=_("고객"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey("org.Team", verbose_name=_("팀"), on_delete=models.PROTECT)
    assignee = models.ForeignKey(
        "org.Staff",
        verbose_name=_("담당자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    list_date = models.DateField(_("목록 날짜"))
    due_at = models.DateTimeField(_("기한"))
    material_sent_at = models.DateTimeField(_("안내 자료 발송"), null=True, blank=True)
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices, default=Status.OPEN)
    attempts = models.PositiveSmallIntegerField(_("시도 횟수"), default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="call"
    )
    # 질의의도 분석: what this citizen really wants, written before calling a dissatisfied one
    intent_note = models.TextField(_("질의의도 분석"), blank=True)

    class Meta:
        verbose_name = _("해피콜·캐치콜")
        verbose_name_plural = _("해피콜·캐치콜")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["assignee", "due_at"],
                condition=Q(status="open"),
                name="call_open_by_assignee",
            ),
            models.Index(
                fields=["team", "due_at"], condition=Q(status="open"), name="call_open_by_team"
            ),
            models.Index(fields=["citizen", "-created_at"], name="call_citizen_recent"),
            models.Index(
                fields=["created_at"],
                condition=Q(kind="happy", material_sent_at__isnull=True, status="open"),
                name="call_material_due",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.citizen_id} ({self.get_status_display()})"


class CallAttempt(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attempt_rows")
    at = models.DateTimeField(_("일시"))
    staff = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("결과"), max_length=12, choices=Call.Outcome.choices)
    note = models.TextField(_("메모"), blank=True)

    class Meta:
        verbose_name = _("통화 시도")
        verbose_name_plural = _("통화 시도")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.call_id} {self.at:%Y-%m-%d %H:%M} {self.outcome}"


# --- phone courtesy ----------------------------------------------------------------------------


class CourtesySheet(models.Model):
    name = models.CharField(_("이름"), max_length=100)
    threshold = models.DecimalField(
        _("면담 기준 점수"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(80),
        help_text=_("이 점수 미만이면 팀장 면담 과제가 생깁니다."),
    )
    active = models.BooleanField(_("사용 중"), default=True)

    class Meta:
        verbose_name = _("전화친절도 평가표")
        verbose_name_plural = _("전화친절도 평가표")

    def __str__(self):
        return self.name


class CourtesyItem(models.Model):
    sheet = models.ForeignKey(
        CourtesySheet, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    order = models.PositiveSmallIntegerField(_("순서"))
    name = models.CharField(_("항목"), max_length=50)
    max_points = models.PositiveSmallIntegerField(
        _("배점"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("평가 항목")
        verbose_name_plural = _("평가 항목")
        ordering = ["sheet", "order"]
        constraints = [models.UniqueConstraint(fields=["sheet", "order"], name="item_order")]

    def __str__(self):
        return f"{self.name} ({self.max_points})"


class CourtesyEvaluation(models.Model):
    sheet = models.ForeignKey(CourtesySheet, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("평가 대상"),
        on_delete=models.PROTECT,
        related_name="courtesy_evaluations",
        db_index=False,  # a composite index (Meta) leads with it
    )
    evaluator = models.ForeignKey(
        "org.Staff", verbose_name=_("평가자"), on_delete=models.PROTECT, related_name="+"
    )
    evaluated_on = models.DateField(_("평가일"))
    scenario = models.CharField(_("시나리오"), max_length=200)
    notes = models.TextField(_("의견"), blank=True)
    total = models.DecimalField(_("총점"), max_digits=5, decimal_places=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("전화친절도 평가")
        verbose_name_plural = _("전화친절도 평가")
        ordering = ["-evaluated_on", "-id"]
        indexes = [models.Index(fields=["staff", "-evaluated_on"], name="courtesy_by_staff")]

    def __str__(self):
        return f"{self.staff} {self.evaluated_on} {self.total}"


class CourtesyScore(models.Model):
    evaluation = models.ForeignKey(
        CourtesyEvaluation, on_delete=models.CASCADE, related_name="scores", db_index=False
    )
    item = models.ForeignKey(CourtesyItem, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(max_digits=5, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="score_once_per_item")
        ]

    def __str__(self):
        return f"{self.item_id}={self.points}"


class LeaderInterview(models.Model):
    """팀장 면담: the team leader's coaching talk after a courtesy score under the line."""

    evaluation = models.OneToOneField(
        CourtesyEvaluation, on_delete=models.CASCADE, related_name="interview"
    )
    staff = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey(
        "org.Staff",
        verbose_name=_("면담 팀장"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interviews_to_hold",
    )
    team = models.ForeignKey("org.Team", null=True, blank=True, on_delete=models.SET_NULL)
    due_on = models.DateField(_("면담 기한"))
    held_on = models.DateField(_("면담일"), null=True, blank=True)
    content = models.TextField(_("면담 내용"), blank=True)
    actions = models.TextField(_("개선 약속"), blank=True)
    reevaluation_on = models.DateField(_("재평가일"), null=True, blank=True)

    class Meta:
        verbose_name = _("팀장 면담")
        verbose_name_plural = _("팀장 면담")
        ordering = ["held_on", "due_on", "id"]
        indexes = [
            models.Index(
                fields=["team", "due_on"],
                condition=Q(held_on__isnull=True),
                name="interview_open_by_team",
            )
        ]

    def __str__(self):
        return f"{self.staff} {self.due_on}"


# --- scorecards --------------------------------------------------------------------------------
