from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcrm.lib.channels import LABELS
from pcrm.lib.crypto import blind_index
from pcrm.lib.db import optional_fk, partial_fk_indexes
from pcrm.lib.fields import EncryptedTextField
from pcrm.lib.masking import mask_email, mask_name, mask_phone
from pcrm.lib.phone import format_phone


class Channel(models.TextChoices):
    SMS = "sms", LABELS["sms"]
    PHONE = "phone", LABELS["phone"]
    EMAIL = "email", LABELS["email"]
    LETTER = "letter", LABELS["letter"]
    VISIT = "visit", LABELS["visit"]
    WEB = "web", LABELS["web"]


class Citizen(models.Model):
    """A citizen or an institution the organisation serves (민원인, 고객)."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("개인")
        INSTITUTION = "institution", _("기관")

    class Gender(models.TextChoices):
        FEMALE = "female", _("여성")
        MALE = "male", _("남성")

    class Language(models.TextChoices):
        KOREAN = "ko", _("한국어")
        ENGLISH = "en", _("영어")
        CHINESE = "zh", _("중국어")
        VIETNAMESE = "vi", _("베트남어")
        OTHER = "other", _("기타")

    kind = models.CharField(_("구분"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    name = models.CharField(_("이름"), max_length=50)
    organisation_name = models.CharField(_("기관명"), max_length=100, blank=True)
    contact_person = models.CharField(_("기관 담당자"), max_length=50, blank=True)
    phone = EncryptedTextField(_("전화번호"), blank=True)
    # the hashes are indexed in Meta (exact look-ups only: no pattern index)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    email = EncryptedTextField(_("이메일"), blank=True)
    email_hash = models.CharField(max_length=64, blank=True, editable=False)
    sigungu = models.CharField(_("시·군·구"), max_length=30, blank=True)
    dong = models.CharField(_("행정동"), max_length=30, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("출생연도"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    gender = models.CharField(_("성별"), max_length=8, choices=Gender.choices, blank=True)
    preferred_language = models.CharField(
        _("선호 언어"), max_length=8, choices=Language.choices, default=Language.KOREAN
    )
    preferred_channel = models.CharField(
        _("선호 연락 수단"), max_length=8, choices=Channel.choices, default=Channel.SMS
    )
    vulnerable = models.BooleanField(_("취약고객"), default=False, editable=False)
    do_not_call = models.BooleanField(_("전화 수신 거부"), default=False)
    # no messages but the notices the law requires (see pcrm.notify.services.ALWAYS_SENT)
    do_not_contact = models.BooleanField(
        _("연락 거부(법정 통지 외)"),
        default=False,
        help_text=_("켜면 접수·보완·연장·답변 같은 법정 통지 말고는 문자·메일을 보내지 않습니다."),
    )
    e_letter_opt_in = models.BooleanField(_("전자서한 수신 동의"), default=False)
    created_at = models.DateTimeField(_("등록일시"), default=timezone.now)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True)
    last_contact_at = models.DateTimeField(_("최근 접촉"), null=True, blank=True)
    contact_count = models.PositiveIntegerField(_("접촉 횟수"), default=0)
    anonymised_at = models.DateTimeField(_("익명화 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("고객")
        verbose_name_plural = _("고객")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="citizen_name"),
            models.Index(fields=["-vulnerable", "name", "id"], name="citizen_vulnerable_first"),
            models.Index(fields=["sigungu", "dong"], name="citizen_district"),
            models.Index(fields=["name", "birth_year"], name="citizen_name_birth"),
            models.Index(fields=["last_contact_at"], name="citizen_last_contact"),
            models.Index(fields=["phone_hash"], name="citizen_phone_hash"),
            models.Index(fields=["email_hash"], name="citizen_email_hash"),
        ]

    def __str__(self):
        return self.masked_label

    def save(self, *args, **kwargs):
        self.refresh_hashes()
        if kwargs.get("update_fields") is not None:
            fields = set(kwargs["update_fields"])
            if "phone" in fields:
                fields.add("phone_hash")
            if "email" in fields:
                fields.add("email_hash")
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    def refresh_hashes(self) -> None:
        """Keep the search hashes in step with the (normalised) phone and e-mail."""
        self.phone_hash = blind_index(self.phone) if self.phone else ""
        self.email_hash = blind_index(self.email.lower()) if self.email else ""

    @property
    def masked_label(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def masked_email(self) -> str:
        return mask_email(self.email) if self.email else ""

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone) if self.phone else ""

    @property
    def district(self) -> str:
        return " ".join(part for part in (self.sigungu, self.dong) if part)


class Consent(models.Model):
    """One consent decision; the newest row per purpose is the citizen's current answer."""

    class Source(models.TextChoices):
        WEB = "web", _("인터넷")
        PHONE = "phone", _("전화")
        VISIT = "visit", _("방문")
        LETTER = "letter", _("서면")
        IMPORT = "import", _("일괄 등록")

    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="consents", db_index=False
    )  # consent_current serves it
    purpose = models.CharField(_("목적"), max_length=40)
    version = models.CharField(_("동의서 판"), max_length=20)
    required = models.BooleanField(_("필수"))
    granted = models.BooleanField(_("동의"))
    at = models.DateTimeField(_("일시"), default=timezone.now)
    source = models.CharField(_("경로"), max_length=10, choices=Source.choices)
    recorded_by = optional_fk("org.Staff")

    class Meta:
        verbose_name = _("개인정보 수집·이용 동의")
        verbose_name_plural = _("개인정보 수집·이용 동의")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["citizen", "purpose", "-at"], name="consent_current"),
            *partial_fk_indexes("consent", ["recorded_by"]),
        ]

    def __str__(self):
        return f"{self.purpose} v{self.version}: {'Y' if self.granted else 'N'}"


class VulnerabilityFlag(models.Model):
    """취약고객 표시: why a citizen needs special care, and when to look again."""

    class Kind(models.TextChoices):
        ELDERLY_ALONE = "elderly_alone", _("독거 어르신")
        DISABLED = "disabled", _("장애인")
        LOW_INCOME = "low_income", _("저소득")
        FOREIGN = "foreign", _("외국인·다문화")
        DISSATISFIED = "dissatisfied", _("반복 불만")
        OTHER = "other", _("기타")

    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="flags", db_index=False
    )
    kind = models.CharField(_("유형"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("사유"))
    # who set it and reviews it; for a flag set by the service itself (a low rating, an
    # unhappy call), the team's leader, or nobody (CS administrators see every flag)
    set_by = models.ForeignKey(
        "org.Staff",
        verbose_name=_("지정자"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    set_at = models.DateTimeField(_("지정일시"), default=timezone.now)
    review_on = models.DateField(_("재검토일"))
    # a flag that ends by itself on this day (one the service set); none: until cleared
    ends_on = models.DateField(_("종료일"), null=True, blank=True)
    # what set it, for a flag the service set (once per source)
    source = models.CharField(max_length=80, blank=True, editable=False)
    active = models.BooleanField(_("유효"), default=True)
    cleared_at = models.DateTimeField(_("해제일시"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        "org.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("취약고객 표시")
        verbose_name_plural = _("취약고객 표시")
        ordering = ["-set_at"]
        indexes = [
            models.Index(fields=["citizen", "active"], name="flag_citizen_active"),
            models.Index(fields=["set_by", "active", "review_on"], name="flag_review_due"),
            models.Index(
                fields=["ends_on"],
                condition=models.Q(active=True, ends_on__isnull=False),
                name="flag_ends",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~models.Q(source=""), name="flag_source_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.citizen})"


class Relationship(models.Model):
    """우호고객 / 기관고객: the relationship list that gets e-letters."""

    class Category(models.TextChoices):
        FRIENDLY = "friendly", _("우호고객")
        INSTITUTIONAL = "institutional", _("기관고객")

    citizen = models.OneToOneField(Citizen, on_delete=models.CASCADE, related_name="relationship")
    category = models.CharField(_("구분"), max_length=15, choices=Category.choices)
    owner = models.ForeignKey(
        "org.Staff",
        verbose_name=_("관리 담당자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relationships",
    )
    interest = models.CharField(_("관심 분야"), max_length=100, blank=True)
    notes = models.TextField(_("메모"), blank=True)
    since = models.DateField(_("등록일"), default=timezone.localdate)

    class Meta:
        verbose_name = _("우호·기관고객")
        verbose_name_plural = _("우호·기관고객")
        ordering = ["citizen__name"]
        indexes = [models.Index(fields=["category", "owner"], name="relationship_category")]

    def __str__(self):
        return f"{self.get_category_display()}: {self.citizen}"


class Contact(models.Model):
    """One entry of the citizen's timeline. Other apps add entries through
    ``citizens.services.contact_add`` and never need this app to know them."""

    citizen = models.ForeignKey(
        Citizen, on_delete=models.CASCADE, related_name="contacts", db_index=False
    )  # contact_timeline serves it
    at = models.DateTimeField(_("일시"), default=timezone.now)
    kind = models.CharField(_("종류"), max_length=40)
    channel = models.CharField(_("수단"), max_length=8, choices=Channel.choices, blank=True)
    summary = models.CharField(_("요약"), max_length=200)
    staff = optional_fk("org.Staff")
    link = models.CharField(_("바로가기"), max_length=200, blank=True)
    source = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("접촉 이력")
        verbose_name_plural = _("접촉 이력")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["citizen", "-at", "-id"], name="contact_timeline"),
            *partial_fk_indexes("contact", ["staff"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "kind", "source"],
                condition=~models.Q(source=""),
                name="contact_once_per_source",
            )
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.kind}"


class ELetter(models.Model):
    """전자서한: a letter in a team leader's name to the friendly/institutional list or a
    customer group. Sent by a sweep to each recipient once (a row per recipient)."""

    class Audience(models.TextChoices):
        FRIENDLY = "friendly", _("우호고객")
        INSTITUTIONAL = "institutional", _("기관고객")
        RELATIONSHIPS = "relationships", _("우호·기관고객 전체")
        SEGMENT = "segment", _("고객집단")

    class Status(models.TextChoices):
        DRAFT = "draft", _("작성 중")
        SCHEDULED = "scheduled", _("발송 예약")
        SENDING = "sending", _("발송 중")
        DONE = "done", _("발송 완료")

    title = models.CharField(_("제목"), max_length=200)
    body = models.TextField(_("본문"), help_text=_("{이름} 자리에 받는 분의 이름이 들어갑니다."))
    audience = models.CharField(_("받는 분"), max_length=15, choices=Audience.choices)
    segment = models.JSONField(_("고객집단 조건"), default=dict, blank=True)
    signed_by = models.ForeignKey(
        "org.Staff", verbose_name=_("보내는 팀장"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("상태"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_at = models.DateTimeField(_("발송 일시"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("전자서한")
        verbose_name_plural = _("전자서한")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["scheduled_at"],
                condition=models.Q(status__in=["scheduled", "sending"]),
                name="eletter_due",
            )
        ]

    def __str__(self):
        return self.title


class ELetterRecipient(models.Model):
    """The send log: one row per letter and citizen (so nobody gets a letter twice), with
    the outgoing message that carries it."""

    letter = models.ForeignKey(
        ELetter, on_delete=models.CASCADE, related_name="recipients", db_index=False
    )
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="+")
    queued_at = models.DateTimeField(null=True, blank=True)
    message = models.OneToOneField(
        "notify.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["letter", "citizen"], name="eletter_once_each")
        ]
        indexes = [
            models.Index(
                fields=["letter"], condition=models.Q(queued_at__isnull=True), name="eletter_unsent"
            )
        ]

    def __str__(self):
        return f"{self.letter_id} → {self.citizen_id}"
