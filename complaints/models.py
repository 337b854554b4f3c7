from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.storage import private_storage
from pcrm.lib import personal_data
from pcrm.lib.calendar import Period, PeriodError
from pcrm.lib.channels import LABELS
from pcrm.lib.db import optional_fk, partial_fk_indexes
from pcrm.lib.fields import EncryptedTextField


def validate_period(value: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        Period.parse(value)
    except PeriodError:
        raise ValidationError(
            _("처리기간은 immediate(즉시), 8h(시간), 3d(일), 2w(주) 꼴로 적습니다.")
        ) from None


class Category(models.Model):
    """민원 유형: who owns it and how long the law gives to answer it."""

    name = models.CharField(_("유형명"), max_length=100, unique=True)
    team = models.ForeignKey(
        "org.Team", verbose_name=_("담당 팀"), on_delete=models.PROTECT, related_name="categories"
    )
    period = models.CharField(
        _("처리기간"),
        max_length=10,
        validators=[validate_period],
        help_text=_("immediate(즉시), 8h, 3d, 7d, 2w처럼 적습니다."),
    )
    same_day_target = models.BooleanField(_("당일처리 목표"), default=True)
    answer_template = models.TextField(_("답변 양식"), blank=True)
    description = models.CharField(_("설명"), max_length=200, blank=True)
    active = models.BooleanField(_("사용"), default=True)

    class Meta:
        verbose_name = _("민원 유형")
        verbose_name_plural = _("민원 유형")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def period_label(self) -> str:
        period = Period.parse(self.period)
        if period.kind == "immediate":
            return str(_("즉시 (3근무시간)"))
        unit = {"hours": _("근무시간"), "days": _("일"), "weeks": _("주")}[period.kind]
        return f"{period.amount}{unit}"


# received, assigned, in progress, supplement requested: the statuses still being worked
OPEN_STATUSES = ("received", "assigned", "in_progress", "supplement")


class ReceiptCounter(models.Model):
    """The last receipt number given in a year; incremented inside the filing transaction,
    so numbers are gapless and unique however many filings run at once."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Complaint(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", LABELS["web"]
        PHONE = "phone", LABELS["phone"]
        VISIT = "visit", LABELS["visit"]
        LETTER = "letter", LABELS["letter"]
        OPEN311 = "open311", LABELS["open311"]

    class Status(models.TextChoices):
        RECEIVED = "received", _("접수")
        ASSIGNED = "assigned", _("배정")
        IN_PROGRESS = "in_progress", _("처리 중")
        SUPPLEMENT = "supplement", _("보완 요청")
        ANSWERED = "answered", _("답변 완료")
        CLOSED = "closed", _("종결")
        TRANSFERRED = "transferred", _("이송")
        WITHDRAWN = "withdrawn", _("취하")

    OPEN_STATUSES = OPEN_STATUSES

    # unique through Meta.constraints: exact look-ups only, so no pattern (LIKE) index
    receipt_number = models.CharField(_("접수번호"), max_length=12)
    tracking_hash = models.CharField(max_length=64, editable=False)
    tracking_secret = EncryptedTextField(editable=False)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # citizen, category and team lead composite indexes (Meta.indexes), which serve their
    # look-ups; a single-column index each would only cost every filing three more writes
    citizen = models.ForeignKey(
        "citizens.Citizen",
        verbose_name=_("민원인"),
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("유형"),
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,
    )
    team = models.ForeignKey(
        "org.Team",
        verbose_name=_("담당 팀"),
        on_delete=models.PROTECT,
        related_name="complaints",
        db_index=False,
    )
    # the empty foreign keys of a new filing cost no index writes: see Meta.indexes
    assignee = optional_fk(
        "org.Staff", verbose_name=_("담당자"), related_name="assigned_complaints"
    )
    channel = models.CharField(_("접수 경로"), max_length=10, choices=Channel.choices)
    title = models.CharField(_("제목"), max_length=200)
    body = models.TextField(_("내용"))
    status = models.CharField(
        _("상태"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    received_at = models.DateTimeField(_("접수일시"), default=timezone.now)
    period = models.CharField(_("처리기간"), max_length=10)
    # due_at is the deadline everyone works to: the statutory one (pauses included), or
    # the date of the one extension the law allows.
    due_at = models.DateTimeField(_("처리기한"))
    statutory_due_at = models.DateTimeField(_("법정 처리기한"))
    same_day_due_at = models.DateTimeField(_("당일처리 목표"), null=True, blank=True)
    extended_at = models.DateTimeField(_("연장일시"), null=True, blank=True)
    extension_reason = models.TextField(_("연장 사유"), blank=True)
    unclear = models.BooleanField(_("질의 취지 불명확"), default=False)
    intent_note = models.TextField(_("질의의도 분석"), blank=True)
    intent_noted_by = optional_fk("org.Staff")
    intent_noted_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = optional_fk("self", verbose_name=_("중복 원민원"), related_name="duplicates")
    registered_by = optional_fk("org.Staff", verbose_name=_("대리 접수자"))
    answered_at = models.DateTimeField(_("답변일시"), null=True, blank=True)
    closed_at = models.DateTimeField(_("종결일시"), null=True, blank=True)
    # the citizen's satisfaction with the handling (1-5), from the survey or the happy-call
    rating = models.PositiveSmallIntegerField(
        _("만족도"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rated_at = models.DateTimeField(_("만족도 응답일시"), null=True, blank=True)
    # whether the title may appear in public feeds (Open311): a person decides, never the
    # default; personal data is taken out of it even then
    published = models.BooleanField(
        _("공개 게시"),
        default=False,
        help_text=_("켜면 제목이 Open311 공개 목록에 (개인정보를 가린 채) 나옵니다."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("민원")
        verbose_name_plural = _("민원")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="complaint_status_due"),
            models.Index(fields=["team", "status", "due_at"], name="complaint_team_due"),
            models.Index(fields=["citizen", "-received_at"], name="complaint_citizen"),
            # the inbox: open work ordered by deadline, per team and per assignee; the
            # included columns let the tab counts read the index alone (no heap visits)
            models.Index(
                fields=["team", "due_at", "id"],
                include=["status", "assignee"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="complaint_open_team_cover",
            ),
            models.Index(
                fields=["assignee", "team", "due_at", "id"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="complaint_open_assignee_due",
            ),
            models.Index(fields=["team", "received_at"], name="complaint_team_received"),
            models.Index(fields=["category", "received_at"], name="complaint_category_received"),
            # (answered complaints only: a new filing writes neither answer index)
            models.Index(
                fields=["team", "answered_at"],
                condition=models.Q(answered_at__isnull=False),
                name="complaint_team_answered",
            ),
            # the scorecards' daily rollups read a day's receipts, answers and ratings
            models.Index(fields=["received_at"], name="complaint_received"),
            models.Index(
                fields=["answered_at"],
                condition=models.Q(answered_at__isnull=False),
                name="complaint_answered",
            ),
            models.Index(  # the same-day board's "due for same-day today"
                fields=["same_day_due_at"],
                condition=models.Q(same_day_due_at__isnull=False),
                name="complaint_same_day_due",
            ),
            models.Index(
                fields=["rated_at"],
                condition=models.Q(rated_at__isnull=False),
                name="complaint_rated",
            ),
            *partial_fk_indexes(
                "complaint", ["assignee", "intent_noted_by", "duplicate_of", "registered_by"]
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["receipt_number"], name="complaint_receipt_number"),
            models.UniqueConstraint(fields=["tracking_hash"], name="complaint_tracking_hash"),
        ]

    def __str__(self):
        return f"{self.receipt_number} {self.title}"

    @property
    def masked_label(self) -> str:
        return self.receipt_number

    @property
    def listed_title(self) -> str:
        """The title as lists show it (the inbox, the API's lists, boards, similar
        complaints, reminder mails): personal data a citizen wrote into it (a phone
        number, a registration number, a name) replaced, as contact details are masked
        in lists. The complaint's own page shows it whole."""
        return personal_data.redact(self.title)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Pause(models.Model):
    """보완 요청: the clock stands still from ``started_at`` to ``ended_at``."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # what the citizen was asked to supply (shown to them on the tracking page)
    note = models.TextField(_("보완 요청 내용"), blank=True)

    class Meta:
        ordering = ["started_at"]

    def __str__(self):
        return f"{self.complaint_id}: {self.started_at:%Y-%m-%d %H:%M}"


class SupplementReply(models.Model):
    """The citizen's online answer to one 보완 요청: one per request (a further reply
    needs a further request). Its files are the complaint's ``supplement`` attachments."""

    pause = models.OneToOneField(Pause, on_delete=models.CASCADE, related_name="reply")
    text = models.TextField(_("보완 내용"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("보완 제출")
        verbose_name_plural = _("보완 제출")

    def __str__(self):
        return f"{self.pause_id} {self.at:%Y-%m-%d %H:%M}"


class Mention(models.Model):
    """A colleague named in an internal note (an ``Event``); its complaint, for the rule."""

    # mention_once serves the note, mention_staff_complaint the staff member
    note = models.ForeignKey(
        "Event", on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    staff = models.ForeignKey(
        "org.Staff", on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["note", "staff"], name="mention_once"),
        ]
        indexes = [models.Index(fields=["staff", "complaint"], name="mention_staff_complaint")]

    def __str__(self):
        return f"{self.note_id} @{self.staff_id}"


class AnswerText(models.Model):
    """A reusable answer (답변 문구) for a team, or approved for all (complaints.library)."""

    class Scope(models.TextChoices):
        TEAM = "team", _("우리 팀")
        ORGANISATION = "org", _("기관 전체")

    title = models.CharField(_("제목"), max_length=100)
    text = models.TextField(_("문구"))
    scope = models.CharField(_("쓰는 곳"), max_length=4, choices=Scope.choices)
    team = models.ForeignKey("org.Team", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved = models.BooleanField(_("승인"), default=False)
    approved_by = optional_fk("org.Staff")
    uses = models.PositiveIntegerField(_("사용 횟수"), default=0)

    class Meta:
        verbose_name = _("답변 문구")
        verbose_name_plural = _("답변 문구")
        ordering = ["-uses", "title", "id"]

    def __str__(self):
        return self.title


class SavedView(models.Model):
    """An inbox filter kept with a name: its owner's, or shared with their team."""

    name = models.CharField(_("이름"), max_length=60)
    owner = models.ForeignKey(  # view_name_once serves it
        "org.Staff", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # the owner's team, when shared with it
    team = optional_fk("org.Team", verbose_name=_("함께 쓰는 팀"))
    query = models.CharField(max_length=500)  # the inbox address's query string
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("저장한 보기")
        verbose_name_plural = _("저장한 보기")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="view_name_once")]
        indexes = [*partial_fk_indexes("savedview", ["team"])]

    def __str__(self):
        return self.name


class AccessCode(models.Model):
    """A code proving a phone number or e-mail address (내 민원): hashes only."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("휴대전화")
        EMAIL = "email", _("이메일")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    contact_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="access_code_created")]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class Event(models.Model):
    """One step in a complaint's history; ``public`` ones show on the tracking page."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("접수")
        ASSIGNED = "assigned", _("담당자 배정")
        STARTED = "started", _("처리 시작")
        SUPPLEMENT_REQUESTED = "supplement_requested", _("보완 요청")
        SUPPLEMENT_REPLIED = "supplement_replied", _("민원인 보완 제출")
        RESUMED = "resumed", _("보완 완료, 처리 재개")
        ANSWERED = "answered", _("답변")
        CLOSED = "closed", _("종결")
        TRANSFERRED = "transferred", _("이송")
        WITHDRAWN = "withdrawn", _("취하")
        REOPENED = "reopened", _("재처리")
        EXTENDED = "extended", _("처리기간 연장")
        INTENT_NOTED = "intent_noted", _("질의의도 분석")
        CALL_LOGGED = "call_logged", _("통화 기록")
        PROGRESS_NOTICE = "progress_notice", _("진행 상황 안내")
        DUPLICATE_LINKED = "duplicate_linked", _("중복 민원 연결")
        REPEAT_PROPOSED = "repeat_proposed", _("반복민원 종결 제안")
        REPEAT_APPROVED = "repeat_approved", _("반복민원 종결 승인")
        REPEAT_REJECTED = "repeat_rejected", _("반복민원 종결 반려")
        DEADLINE_CHANGED = "deadline_changed", _("처리기한 변경")
        # staff only, never public: never on the tracking page, in messages, Open311 or
        # the API (complaints.notes)
        NOTE = "note", _("내부 메모")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="events", db_index=False
    )  # event_complaint_at serves it
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    staff = optional_fk("org.Staff")
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["complaint", "at"], name="event_complaint_at"),
            *partial_fk_indexes("event", ["staff"]),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.kind}"


def _attachment_path(instance, filename):
    return f"complaints/{timezone.now():%Y/%m}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("민원인 첨부")
        ANSWER = "answer", _("답변 첨부")
        SUPPLEMENT = "supplement", _("보완 자료")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CITIZEN)
    file = models.FileField(storage=private_storage, upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class Answer(models.Model):
    """A reply to the complainant; a refusal states its reason and the remedy procedure."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("답변"))
    refusal = models.BooleanField(_("거부(불수용)"), default=False)
    refusal_reason = models.TextField(_("거부 사유"), blank=True)
    remedy = models.TextField(_("구제절차 안내"), blank=True)
    staff = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.complaint_id} {self.at:%Y-%m-%d}"


class CallLog(models.Model):
    class Outcome(models.TextChoices):
        REACHED = "reached", _("통화 완료")
        NO_ANSWER = "no_answer", _("받지 않음")
        REFUSED = "refused", _("통화 거부")
        WRONG_NUMBER = "wrong_number", _("잘못된 번호")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="calls")
    staff = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(_("결과"), max_length=15, choices=Outcome.choices)
    note = models.TextField(_("통화 내용"), blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.complaint_id} {self.outcome}"


class RepeatedClosure(models.Model):
    """A proposal to close further filings of the same matter (법 제23조), signed off by the
    team leader."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("제안")
        APPROVED = "approved", _("승인")
        REJECTED = "rejected", _("반려")

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="repeated_closure"
    )
    related = models.ManyToManyField(Complaint, related_name="+")
    reason = models.TextField(_("사유"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.complaint_id} {self.state}"


class QAItem(models.Model):
    """질의응답: a question and its answer drawn from a real complaint, with personal data
    removed. Staff propose, the team leader approves (or returns it); approved items form
    the public FAQ and the half-yearly Q&A book."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("승인 대기")
        APPROVED = "approved", _("승인")
        RETURNED = "returned", _("반려")

    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.SET_NULL, related_name="qa_items"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("민원 유형"), on_delete=models.PROTECT, related_name="qa_items"
    )
    team = models.ForeignKey("org.Team", on_delete=models.PROTECT, related_name="+", db_index=False)
    question = models.TextField(_("질문"))
    answer = models.TextField(_("답변"))
    keywords = models.CharField(_("검색어"), max_length=200, blank=True)
    state = models.CharField(
        _("상태"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    proposed_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(_("반려 사유"), blank=True)

    class Meta:
        verbose_name = _("질의응답")
        verbose_name_plural = _("질의응답")
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(
                fields=["category", "-decided_at"],
                condition=models.Q(state="approved"),
                name="qa_approved_by_category",
            ),
            models.Index(fields=["team", "state"], name="qa_team_state"),
        ]

    def __str__(self):
        return self.question[:60]


class QABook(models.Model):
    """질의응답집: the approved items of a half-year, compiled once and kept."""

    period = models.CharField(_("기간"), max_length=10, unique=True)  # 2026-H2
    title = models.CharField(_("제목"), max_length=200)
    compiled_at = models.DateTimeField(default=timezone.now)
    items = models.ManyToManyField(QAItem, related_name="books")
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("질의응답집")
        verbose_name_plural = _("질의응답집")
        ordering = ["-period"]

    def __str__(self):
        return self.title


class Open311Client(models.Model):
    """An application allowed to file complaints through Open311 (GeoReport v2). The
    CS administrator issues its ``api_key``; only the key's hash is kept."""

    name = models.CharField(_("이름"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("사용"), default=True)
    # the client has agreed, in writing, to collect the citizen's consent to processing
    # before it files (GeoReport v2 has no consent field): its filings need no ``consent``
    consent_terms_agreed_at = models.DateTimeField(
        _("동의 대행 약정일"),
        null=True,
        blank=True,
        help_text=_(
            "연계 기관이 민원인의 개인정보 수집·이용 동의를 받아 접수하기로 약정한 날. "
            "비워 두면 요청마다 consent=true가 있어야 접수합니다."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Open311 연계 기관")
        verbose_name_plural = _("Open311 연계 기관")

    def __str__(self):
        return self.name
