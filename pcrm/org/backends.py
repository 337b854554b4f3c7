from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from pcrm.org.models import Staff


class RoleBackend(ModelBackend):
    """Password login for active accounts of active staff; CS administrators hold every
    model permission, so the admin needs no per-user permission bookkeeping."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        try:
            return user.staff.active
        except Staff.DoesNotExist:
            return True  # superusers created by createsuperuser have no staff profile

    def get_user(self, user_id):
        """The session's user with its staff profile and team in the same query."""
        user_model = get_user_model()
        user = user_model._default_manager.select_related("staff__team").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        if self._is_active_cs_admin(user_obj):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if self._is_active_cs_admin(user_obj):
            return True
        return super().has_module_perms(user_obj, app_label)

    @staticmethod
    def _is_active_cs_admin(user_obj) -> bool:
        from pcrm.org.access import staff_of

        staff = staff_of(user_obj)
        return staff is not None and staff.role == Staff.Role.CS_ADMIN
