"""Role and permission changes, however they are made, go into the access log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from pcrm.org.models import Staff
from pcrm.org.services import record_permission_change

User = get_user_model()

_STAFF_FIELDS = ("role", "team_id", "active", "sees_vulnerability")
_USER_FIELDS = ("is_superuser", "is_staff", "is_active")


def _remember(instance, fields, update_fields):
    if update_fields is not None and not set(update_fields) & {
        f.removesuffix("_id") for f in fields
    }:
        instance._audit_before = {f: getattr(instance, f) for f in fields}  # nothing tracked
        return
    if instance.pk is None:
        instance._audit_before = None
        return
    before = type(instance)._default_manager.filter(pk=instance.pk).values(*fields).first()
    instance._audit_before = before


def _changes(instance, fields, created) -> dict:
    before = None if created else getattr(instance, "_audit_before", None)
    changes = {}
    for field in fields:
        new = getattr(instance, field)
        old = before.get(field) if before else None
        if created or (before is not None and old != new):
            changes[field] = [old, new]
    return changes


@receiver(pre_save, sender=Staff)
def _staff_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw:
        _remember(instance, _STAFF_FIELDS, update_fields)


@receiver(post_save, sender=Staff)
def _staff_after(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    changes = _changes(instance, _STAFF_FIELDS, created)
    if changes:
        record_permission_change(instance, changes=changes)


@receiver(pre_save, sender=User)
def _user_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw:
        _remember(instance, _USER_FIELDS, update_fields)


@receiver(post_save, sender=User)
def _user_after(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    changes = _changes(instance, _USER_FIELDS, created)
    if created:
        # A new plain account grants nothing; record it only if it starts privileged.
        changes = {k: v for k, v in changes.items() if k != "is_active" and v[1]}
    if changes:
        record_permission_change(
            ("auth.user", instance.pk, instance.get_username()), changes=changes
        )


def _m2m_recorder(field_name):
    def handler(sender, instance, action, pk_set, **kwargs):
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        if isinstance(instance, Group):
            subject = ("auth.group", instance.pk, instance.name)
        else:
            subject = ("auth.user", instance.pk, instance.get_username())
        record_permission_change(
            subject, changes={field_name: {action.removeprefix("post_"): sorted(pk_set or [])}}
        )

    return handler


m2m_changed.connect(_m2m_recorder("groups"), sender=User.groups.through, weak=False)
m2m_changed.connect(
    _m2m_recorder("user_permissions"), sender=User.user_permissions.through, weak=False
)
m2m_changed.connect(_m2m_recorder("permissions"), sender=Group.permissions.through, weak=False)
