from importlib import import_module, util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pcrm.org.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_organisation


class Command(BaseCommand):
    help = "데모 데이터를 불러옵니다. 이미 있는 것은 건너뛰므로 여러 번 실행해도 됩니다."

    def handle(self, *args, **options):
        added = seed_organisation()
        if added:
            self.stdout.write(
                self.style.SUCCESS(
                    _("데모 조직: 직원 %(count)d명을 추가했습니다.") % {"count": added}
                )
            )
        else:
            self.stdout.write(_("데모 조직: 이미 있습니다."))
        # Every later app may ship a ``demo.seed()``; they run in INSTALLED_APPS order,
        # which is the order of their dependencies.
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name == "pcrm.org" or util.find_spec(module_name) is None:
                continue
            self.stdout.write(str(import_module(module_name).seed()))
        self.stdout.write(_("데모 계정 (비밀번호 %(password)s):") % {"password": DEMO_PASSWORD})
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {role}")
