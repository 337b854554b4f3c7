from django.db import models

from pcrm.lib.crypto import decrypt, encrypt


class EncryptedTextField(models.TextField):
    """Text kept encrypted in the database and plain in Python; "" stays "".

    It cannot be searched: store a ``blind_index`` beside it for exact matches.
    """

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
