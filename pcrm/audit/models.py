from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An access-log row was about to be changed or removed."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("access-log rows cannot be updated")

    def delete(self):
        raise AppendOnlyError("access-log rows cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("access-log rows cannot be updated")


class AccessLog(models.Model):
    """개인정보 접속기록: who did what to whose data, when, from where and why.

    Append-only: the model refuses updates and deletes, and a database trigger
    (see the migration) refuses them too, for raw SQL as well as the ORM.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("조회")
        CREATE = "create", _("등록")
        UPDATE = "update", _("수정")
        DELETE = "delete", _("삭제")
        EXPORT = "export", _("내보내기")
        DOWNLOAD = "download", _("내려받기")
        REVEAL = "reveal", _("마스킹 해제")
        PERMISSION_CHANGE = "permission_change", _("권한 변경")
        LOCKOUT = "lockout", _("계정 잠금")

    at = models.DateTimeField(_("일시"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리자 계정"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # accesslog_actor serves it
    )
    actor_username = models.CharField(_("처리자 아이디"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("접속지 IP"), null=True, blank=True)
    subject_type = models.CharField(_("정보주체 유형"), max_length=50)
    subject_id = models.CharField(_("정보주체 식별자"), max_length=64)
    subject_label = models.CharField(_("정보주체(마스킹)"), max_length=200, blank=True)
    action = models.CharField(_("수행업무"), max_length=20, choices=Action.choices)
    purpose = models.CharField(_("목적"), max_length=200, blank=True)
    detail = models.JSONField(_("상세"), default=dict, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("개인정보 접속기록")
        verbose_name_plural = _("개인정보 접속기록")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="accesslog_at"),
            models.Index(fields=["subject_type", "subject_id", "-at"], name="accesslog_subject"),
            # a citizen's own filing has no account: only rows with one are indexed
            models.Index(
                fields=["actor", "-at"],
                condition=models.Q(actor__isnull=False),
                name="accesslog_actor",
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.subject_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("access-log rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("access-log rows cannot be deleted")
