"""The scorecards' tables moved from surveys to their own app: a database holding
scores, rollups and weights keeps every row across the migration, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("surveys", "0006_alter_invitation_channel_alter_response_channel"), ("scorecards", None)]
AFTER = [("surveys", "0007_scorecards_moved"), ("scorecards", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def test_the_rows_move_with_the_tables(org):
    old = _migrate(BEFORE)
    Team = old.get_model("org", "Team")
    team = Team.objects.get(pk=org.team.pk)
    old.get_model("surveys", "PeriodScore").objects.create(
        team=team,
        period="2026-11",
        kind="month",
        start="2026-11-01",
        composite="71.5",
        values={"courtesy": {"value": 90.0}},
        rank=1,
        grade="가",
    )
    old.get_model("surveys", "TeamDay").objects.create(team=team, day="2026-11-23", received=4)
    old.get_model("surveys", "ScorecardWeight").objects.create(indicator="courtesy", weight=60)
    old.get_model("surveys", "SegmentDay").objects.create(
        day="2026-11-23", dimension="age", segment="30s", answered=2
    )

    new = _migrate(AFTER)
    score = new.get_model("scorecards", "PeriodScore").objects.get()
    assert (score.team_id, score.period, score.rank, str(score.composite)) == (
        team.pk,
        "2026-11",
        1,
        "71.5",
    )
    assert score.values == {"courtesy": {"value": 90.0}}
    assert new.get_model("scorecards", "TeamDay").objects.get().received == 4
    assert new.get_model("scorecards", "ScorecardWeight").objects.get().weight == 60
    assert new.get_model("scorecards", "SegmentDay").objects.get().answered == 2
    tables = connection.introspection.table_names()
    assert "scorecards_periodscore" in tables and "surveys_periodscore" not in tables

    back = _migrate(BEFORE)  # and back again, nothing lost either way
    assert back.get_model("surveys", "PeriodScore").objects.get().period == "2026-11"
    _migrate_to_latest()  # the schema every later test expects


def _migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
