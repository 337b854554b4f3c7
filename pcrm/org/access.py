"""The access checkpoint: every view fetches objects for a user through here.

Each object type registers once which rows a staff member may see and which
they may change. An object outside what one may see is a 404 (its existence
is not confirmed); an object one may see but not change is a 403.
Later apps register their own types (citizens, complaints, ...) from their
``AppConfig.ready``; this module never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from pcrm.audit.models import AccessLog
from pcrm.org.models import Staff, Team

Role = Staff.Role
Visible = Callable[[Staff], Q | None]
Editable = Callable[[Staff, Model], bool]


@dataclass(frozen=True)
class Rule:
    visible: Visible
    editable: Editable


_rules: dict[type[Model], Rule] = {}


def register(model: type[Model], *, visible: Visible, editable: Editable | None = None) -> None:
    """``visible(staff)`` returns a filter (``None`` for everything); ``editable(staff, obj)``."""
    _rules[model] = Rule(visible=visible, editable=editable or (lambda staff, obj: False))


def staff_of(user) -> Staff | None:
    """The active staff profile of a logged-in user, or ``None``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        staff = user.staff
    except Staff.DoesNotExist:
        return None
    return staff if staff.active else None


def is_cs_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    staff = staff_of(user)
    return staff is not None and staff.role == Role.CS_ADMIN


def visible_to(user, model: type[Model]) -> QuerySet:
    rule = _rules[model]
    staff = staff_of(user)
    queryset = model._default_manager.all()
    if staff is None:
        return queryset.none()
    condition = rule.visible(staff)
    return queryset if condition is None else queryset.filter(condition)


def get_for_user(user, model: type[Model], *, for_change: bool = False, queryset=None, **lookup):
    """The object matching ``lookup`` if ``user`` may see it: else 404; 403 if not changeable."""
    base = visible_to(user, model)
    if queryset is not None:
        base = queryset & base
    obj = get_object_or_404(base, **lookup)
    if for_change and not _rules[model].editable(staff_of(user), obj):
        raise PermissionDenied
    return obj


def staff_required(*roles: str):
    """View decorator: log in first; then only active staff (of ``roles``, if given)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            staff = staff_of(request.user)
            if staff is None or (roles and staff.role not in roles):
                raise PermissionDenied
            request.staff = staff
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- rules the apps' access modules share ------------------------------------------------------

NOTHING = Q(pk__in=[])
# the members of staff who serve citizens (the auditor reads the access log only)
SERVING_ROLES = (Role.STAFF, Role.TEAM_LEADER, Role.CS_ADMIN)


def serves(staff: Staff | None) -> bool:
    return staff is not None and staff.role in SERVING_ROLES


def require(allowed: bool) -> None:
    """A service's permission check: 403 unless ``allowed``."""
    if not allowed:
        raise PermissionDenied


def team_rows(
    team_field: str, *, own_field: str | None = None, members: bool = True, auditor: bool = False
):
    """The team rule, for ``register``: a CS administrator sees every row (the auditor
    too, where ``auditor``); a team leader the rows of their team (by ``team_field``);
    other staff only their own rows (by ``own_field``) where given, else their team's,
    or none where not ``members``."""

    def visible(staff: Staff) -> Q | None:
        if staff.role == Role.CS_ADMIN or (auditor and staff.role == Role.AUDITOR):
            return None
        if staff.role == Role.STAFF and own_field:
            return Q(**{own_field: staff.pk})
        if staff.role == Role.STAFF and not members:
            return NOTHING
        if staff.role in (Role.STAFF, Role.TEAM_LEADER) and staff.team_id:
            return Q(**{team_field: staff.team_id})
        return NOTHING

    return visible


def in_team(staff: Staff, team_id: int | None) -> bool:
    """A CS administrator, or serving staff of that team (may act on its rows)."""
    return staff.role == Role.CS_ADMIN or (
        staff.role in (Role.STAFF, Role.TEAM_LEADER) and staff.team_id == team_id
    )


# --- the organisation's own types -------------------------------------------------------------


def _cs_admin_edits(staff: Staff, obj: Model) -> bool:
    return staff.role == Role.CS_ADMIN


register(Team, visible=team_rows("pk", auditor=True), editable=_cs_admin_edits)
register(Staff, visible=team_rows("team_id", auditor=True), editable=_cs_admin_edits)
register(AccessLog, visible=lambda staff: None if staff.role == Role.AUDITOR else NOTHING)
