from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def personal_data_keys(app_configs, **kwargs):
    problems = []
    if not settings.PCRM_DATA_KEYS:
        problems.append(
            Warning(
                "PCRM_DATA_KEYS is not set: phone numbers and e-mail addresses are encrypted "
                "with a key derived from SECRET_KEY.",
                hint="Set PCRM_DATA_KEYS to a Fernet key kept apart from the database backups.",
                id="pcrm.W001",
            )
        )
    if not settings.PCRM_HASH_KEY:
        problems.append(
            Warning(
                "PCRM_HASH_KEY is not set: search hashes use a key derived from SECRET_KEY.",
                hint="Set PCRM_HASH_KEY to a long random value; changing it later needs a rehash.",
                id="pcrm.W002",
            )
        )
    return problems
