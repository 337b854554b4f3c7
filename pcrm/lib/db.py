"""Database helpers shared by the models and services."""

from django.db import models, router
from django.db.models.constants import OnConflict


def partial_fk_indexes(prefix: str, fields: list[str]) -> list[models.Index]:
    """For nullable foreign keys that are mostly empty (who noted, who registered, ...):
    index only the rows that have one. Look-ups by a value, and ``SET_NULL`` when the
    referenced row goes, still use it; a row without one costs no index write.

    The fields are declared with ``db_index=False``."""
    return [
        models.Index(
            fields=[name],
            condition=models.Q(**{f"{name}__isnull": False}),
            name=f"{prefix}_{name}"[:30],
        )
        for name in fields
    ]


def optional_fk(to: str, **options) -> models.ForeignKey:
    """A nullable foreign key that most rows leave empty (who recorded, who noted, ...),
    unindexed itself: list it in ``partial_fk_indexes`` in the model's Meta."""
    options = {"related_name": "+", **options}
    return models.ForeignKey(
        to, null=True, blank=True, on_delete=models.SET_NULL, db_index=False, **options
    )


def insert_once(instance: models.Model) -> bool:
    """Insert ``instance`` unless one of its table's unique constraints already holds such
    a row: ``True`` (and the primary key set) if it was written, ``False`` if not.

    One statement (``INSERT ... ON CONFLICT DO NOTHING RETURNING id``), where catching
    the IntegrityError would need a savepoint around the insert, two statements more,
    to keep the caller's transaction usable. For models without save() logic or
    save signals of their own: neither runs. (On SQLite, the embedded default, the
    statement is ``INSERT OR IGNORE``, which skips a NOT NULL or CHECK failure too: the
    callers pass complete rows.)"""
    model = type(instance)
    meta = model._meta
    using = router.db_for_write(model, instance=instance)
    fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
    rows = model._base_manager._insert(
        [instance],
        fields=fields,
        returning_fields=[meta.pk],
        using=using,
        on_conflict=OnConflict.IGNORE,
    )
    if not rows or rows[0] is None:
        return False
    instance.pk = rows[0][0]
    instance._state.adding = False
    instance._state.db = using
    return True
