"""Database helpers shared by the models and services."""

from django.db import InterfaceError, OperationalError, connections, models, router
from django.db.models import sql
from django.db.models.constants import OnConflict

# what a request meets while the database restarts or cannot be reached: the request can
# be answered "try again shortly" (503), unlike a programming error (500)
UNAVAILABLE = (OperationalError, InterfaceError)


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


def insert(instance: models.Model) -> None:
    """Write ``instance`` as a new row in one ``INSERT ... RETURNING id``, and set its key.

    The statement's SQL is built by the ORM once per model, and only the values are
    prepared per call (by each field, as ``save()`` prepares them: encryption, JSON,
    defaults filled in on creation). For rows written on the hottest path (a filing):
    building an INSERT costs the ORM several times what running it costs the database.
    For models without ``save()`` logic or save signals of their own: neither runs."""
    _insert(instance, ignore_conflicts=False)


def insert_once(instance: models.Model) -> bool:
    """Insert ``instance`` unless one of its table's unique constraints already holds such
    a row: ``True`` (and the primary key set) if it was written, ``False`` if not.

    One statement (``INSERT ... ON CONFLICT DO NOTHING RETURNING id``), where catching
    the IntegrityError would need a savepoint around the insert, two statements more,
    to keep the caller's transaction usable. As with ``insert``, neither ``save()`` nor
    save signals run. (On SQLite, the embedded default, the statement is ``INSERT OR
    IGNORE``, which skips a NOT NULL or CHECK failure too: the callers pass complete
    rows.)"""
    return _insert(instance, ignore_conflicts=True)


def insert_all(instances: list[models.Model]) -> None:
    """Write new rows of one database, in order, in one round trip (on SQLite, the
    embedded default, one statement each). No key comes back: each row either has its
    key already (see ``reserve_keys``) or is not referred to afterwards. Values are
    prepared as ``insert`` prepares them; neither ``save()`` nor save signals run.

    For the statements a transaction sends while it holds a lock others wait for: one
    round trip instead of one per row."""
    if not instances:
        return
    using = router.db_for_write(type(instances[0]), instance=instances[0])
    connection = connections[using]
    statements = []
    values = []
    for instance in instances:
        with_key = instance.pk is not None
        values.append(_values(instance, connection, with_key=with_key))
        statements.append(_statement(instance, using, with_key=with_key))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # parameters are bound by the client
            cursor.execute(";\n".join(statements), [value for row in values for value in row])
        else:
            for statement, row in zip(statements, values, strict=True):
                cursor.execute(statement, row)
    for instance in instances:
        if instance.pk is not None:
            instance._state.adding = False
            instance._state.db = using


def reserve_keys(*models_: type[models.Model]) -> list[int]:
    """A primary key for each of ``models_``, for rows that this transaction writes later
    (with ``insert_all``), so that the rows referring to them can be built before they
    are written; one statement for all of them. Each is taken from the key's own
    sequence: the database never hands it out again, even if the transaction rolls
    back."""
    using = router.db_for_write(models_[0])
    connection = connections[using]
    tables = [(model._meta.db_table, model._meta.pk.column) for model in models_]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT " + ", ".join(["nextval(pg_get_serial_sequence(%s, %s))"] * len(tables)),
                [name for table in tables for name in table],
            )
            return list(cursor.fetchone())
        return [_sqlite_next_key(cursor, table, column) for table, column in tables]


def _sqlite_next_key(cursor, table: str, column: str) -> int:
    """SQLite's AUTOINCREMENT counter for ``table``, one up; its write lock serialises it."""
    cursor.execute(
        f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, (SELECT coalesce(max({column}), 0) FROM {table}) WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",  # noqa: E501, S608 - names only
        [table, table],
    )
    cursor.execute(
        "UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = %s RETURNING seq", [table]
    )
    return cursor.fetchone()[0]


_INSERTS: dict[tuple, str] = {}


def _fields(model, *, with_key: bool) -> list[models.Field]:
    meta = model._meta
    return [
        field for field in meta.local_concrete_fields if with_key or field is not meta.auto_field
    ]


def _values(instance: models.Model, connection, *, with_key: bool = False) -> list:
    values = []
    for field in _fields(type(instance), with_key=with_key):
        value = field.pre_save(instance, add=True)
        # the statement is built once for every row: it cannot hold a value's own SQL
        if hasattr(value, "resolve_expression") or hasattr(field, "get_placeholder"):
            raise TypeError(f"{instance._meta.label}.{field.name}: a plain value is needed")
        values.append(field.get_db_prep_save(value, connection=connection))
    return values


def _statement(
    instance: models.Model,
    using: str,
    *,
    ignore_conflicts: bool = False,
    with_key: bool,
    returning: bool = False,
) -> str:
    """The INSERT of a row of the instance's model, built by the ORM once per kind."""
    model = type(instance)
    key = (model, connections[using].vendor, ignore_conflicts, with_key, returning)
    statement = _INSERTS.get(key)
    if statement is None:
        query = sql.InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore_conflicts else None)
        query.insert_values(_fields(model, with_key=with_key), [instance])
        compiler = query.get_compiler(using=using)
        compiler.returning_fields = [model._meta.pk] if returning else None
        [(statement, _params)] = compiler.as_sql()
        _INSERTS[key] = statement
    return statement


def _insert(instance: models.Model, *, ignore_conflicts: bool) -> bool:
    using = router.db_for_write(type(instance), instance=instance)
    connection = connections[using]
    values = _values(instance, connection)  # before the statement: a refused row builds none
    statement = _statement(
        instance, using, ignore_conflicts=ignore_conflicts, with_key=False, returning=True
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        row = cursor.fetchone()
    if row is None:  # the constraint held such a row already
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = using
    return True


class FirstRow:
    """The first row of a look-up whose SQL the ORM builds once: ``FirstRow(Model, lambda
    value: Model.objects.filter(field=value).order_by("pk"))``, then ``.get(value)`` for
    each value. For look-ups on the hottest path, where building the query costs the ORM
    several times what running it costs the database. The built queryset's parameters
    must be exactly the values given, in order; a look-up where that cannot be told (two
    equal values, a value the ORM turns into other parameters) is built every time."""

    def __init__(self, model, build):
        self.model, self._build = model, build
        self._statements: dict[str, str] = {}

    def get(self, *values):
        using = router.db_for_read(self.model)
        statement = self._statements.get(using)
        if statement is None:
            queryset = self._build(*values).using(using)[:1]
            statement, params = queryset.query.sql_with_params()
            if list(params) != list(values) or len(set(map(repr, values))) != len(values):
                return next(iter(queryset), None)
            self._statements[using] = statement
        rows = self.model._base_manager.db_manager(using).raw(statement, list(values))
        return next(iter(rows), None)
