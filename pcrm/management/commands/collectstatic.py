from django.contrib.staticfiles.management.commands import collectstatic

# Vendor files that are not served and would break hashed storage: a KRDS stylesheet we
# do not use points at images its package does not ship.
VENDOR_IGNORE = ["component.css", "*.scss", "ui-script_bak.js", "cdn"]


class Command(collectstatic.Command):
    def set_options(self, **options):
        super().set_options(**options)
        self.ignore_patterns = list({*self.ignore_patterns, *VENDOR_IGNORE})
