from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcrm.lib.crypto import new_secret
from pcrm.lib.masking import mask_name


class Department(models.Model):
    name = models.CharField(_("부서명"), max_length=100, unique=True)
    head = models.ForeignKey(
        "org.Staff",
        verbose_name=_("부서장"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )

    class Meta:
        verbose_name = _("부서")
        verbose_name_plural = _("부서")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(models.Model):
    department = models.ForeignKey(
        Department,
        verbose_name=_("부서"),
        on_delete=models.PROTECT,
        related_name="teams",
        db_index=False,
    )
    name = models.CharField(_("팀명"), max_length=100)
    leader = models.ForeignKey(
        "org.Staff",
        verbose_name=_("팀장"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    caller = models.ForeignKey(
        "org.Staff",
        verbose_name=_("해피콜 전담자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("비워 두면 팀장이 해피콜을 맡습니다."),
    )

    class Meta:
        verbose_name = _("팀")
        verbose_name_plural = _("팀")
        ordering = ["department__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="team_unique_name")
        ]

    def __str__(self):
        return self.name


class Staff(models.Model):
    class Role(models.TextChoices):
        STAFF = "staff", _("담당자")
        TEAM_LEADER = "team_leader", _("팀장")
        CS_ADMIN = "cs_admin", _("CS 담당관")
        AUDITOR = "auditor", _("감사")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("계정"), on_delete=models.CASCADE
    )
    name = models.CharField(_("이름"), max_length=50)
    team = models.ForeignKey(
        Team,
        verbose_name=_("팀"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        db_index=False,  # a composite index (Meta) leads with it
    )
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices, default=Role.STAFF)
    phone_extension = models.CharField(_("내선번호"), max_length=20, blank=True)
    sees_vulnerability = models.BooleanField(
        _("취약고객 표시 열람"),
        default=False,
        help_text=_("팀장과 CS 담당관은 늘 봅니다. 담당자에게는 필요할 때만 허용하세요."),
    )
    active = models.BooleanField(_("재직"), default=True)

    class Meta:
        verbose_name = _("직원")
        verbose_name_plural = _("직원")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["team", "role"], name="staff_team_role")]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    @property
    def masked_label(self) -> str:
        return mask_name(self.name)


class LoginThrottle(models.Model):
    """Consecutive failed logins per user name, and the lock they cause."""

    username = models.CharField(_("아이디"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("연속 실패 횟수"), default=0)
    locked_until = models.DateTimeField(_("잠금 해제 시각"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("마지막 실패"), null=True, blank=True)

    class Meta:
        verbose_name = _("로그인 실패 기록")
        verbose_name_plural = _("로그인 실패 기록")

    def __str__(self):
        return f"{self.username}: {self.failures}"


class TemporaryHoliday(models.Model):
    """임시공휴일 added at run time; statutory holidays come from the calendar itself."""

    date = models.DateField(_("날짜"), unique=True)
    name = models.CharField(_("이름"), max_length=100)
    created_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("임시공휴일")
        verbose_name_plural = _("임시공휴일")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class ApiToken(models.Model):
    """A key with which a member of staff calls the API (``Authorization: Token …``).
    The CS administrator issues it; only its hash is kept, and it acts with exactly the
    staff member's rights."""

    staff = models.ForeignKey(
        Staff, verbose_name=_("직원"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("용도"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("발급일시"), default=timezone.now)
    last_used_at = models.DateTimeField(_("마지막 사용"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("폐기일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 토큰")
        verbose_name_plural = _("API 토큰")

    def __str__(self):
        return f"{self.staff} — {self.name}"

    @classmethod
    def issue(cls, *, staff: Staff, name: str) -> tuple["ApiToken", str]:
        """A new token and its key (shown once)."""
        key, key_hash = new_secret()
        return cls.objects.create(staff=staff, name=name, key_hash=key_hash), key
