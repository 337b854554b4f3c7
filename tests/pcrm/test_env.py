import os
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pcrm.lib.env import env_bool, env_int, env_list, env_str, parse_database_url
from tests.processes import manage

BASE = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        ("on", True),
        ("0", False),
        ("off", False),
        ("False", False),
        ("", True),
    ],
)
def test_env_bool_reads_the_usual_spellings(raw, expected):
    assert env_bool("FLAG", True, environ={"FLAG": raw}) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please", "t"])
def test_env_bool_rejects_anything_else_naming_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match="FLAG="):
        env_bool("FLAG", False, environ={"FLAG": raw})


def test_env_int_rejects_words_and_values_below_minimum():
    assert env_int("N", 5, environ={}) == 5
    assert env_int("N", 5, environ={"N": " 42 "}) == 42
    with pytest.raises(ImproperlyConfigured, match="N='ten' is not a whole number"):
        env_int("N", 5, environ={"N": "ten"})
    with pytest.raises(ImproperlyConfigured, match="N=-1 must be at least 0"):
        env_int("N", 5, minimum=0, environ={"N": "-1"})


def test_env_list_splits_on_commas_and_rejects_empty_items():
    assert env_list("HOSTS", ["a"], environ={}) == ["a"]
    assert env_list("HOSTS", [], environ={"HOSTS": "pcrm.go.kr, www.pcrm.go.kr"}) == [
        "pcrm.go.kr",
        "www.pcrm.go.kr",
    ]
    with pytest.raises(ImproperlyConfigured, match="HOSTS="):
        env_list("HOSTS", [], environ={"HOSTS": "a,,b"})


def test_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n")
    assert env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)}) == "s3cr3t"
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE"):
        env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(tmp_path / "missing")})


def test_database_url_postgres():
    db = parse_database_url(
        "DATABASE_URL",
        "postgres://pcrm:p%40ss@db.internal:6543/pcrm?sslmode=require",
        base_dir=BASE,
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("pcrm", "pcrm", "p@ss")
    assert (db["HOST"], db["PORT"]) == ("db.internal", "6543")
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_database_url_sqlite_relative_and_absolute():
    relative = parse_database_url("DATABASE_URL", "sqlite:///var/x.sqlite3", base_dir=BASE)
    assert relative["NAME"] == BASE / "var" / "x.sqlite3"
    absolute = parse_database_url("DATABASE_URL", "sqlite:////srv/pcrm/x.sqlite3", base_dir=BASE)
    assert absolute["NAME"] == Path("/srv/pcrm/x.sqlite3")


@pytest.mark.parametrize(
    "url",
    ["mysql://u@h/db", "postgres://u@h", "postgres://u@h:port/db", "sqlite://", "sqlite:///"],
)
def test_database_url_rejects_malformed_values(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL="):
        parse_database_url("DATABASE_URL", url, base_dir=BASE)


def _django_check(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(env_overrides)
    return manage("check", env=env)


def test_settings_refuse_a_malformed_variable_by_name():
    result = _django_check({"DEBUG": "1", "SESSION_IDLE_TIMEOUT": "half an hour"})
    assert result.returncode != 0
    assert "SESSION_IDLE_TIMEOUT='half an hour' is not a whole number" in result.stderr


def test_settings_require_a_secret_key_outside_debug():
    result = _django_check({"DEBUG": "0", "ALLOWED_HOSTS": "pcrm.example.go.kr"})
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "k" * 20 + "9f8A7s6D5f4G3h2J1k0LzXcVbNmQwErTyUiOp",
            "ALLOWED_HOSTS": "pcrm.example.go.kr",
            "BEHIND_TLS_PROXY": "1",
            "STATIC_ROOT": str(tmp_path / "static"),
            "PCRM_DATA_KEYS": "9jGpW7q8Jq3n2l1nN0mJ8yq4oGk3JzqT5o1a2b3c4d8=",
            "PCRM_HASH_KEY": "h" * 48,
        }
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_check_deploy_warns_without_personal_data_keys(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"PCRM_DATA_KEYS", "PCRM_HASH_KEY"}}
    env.update({"DEBUG": "1", "STATIC_ROOT": str(tmp_path / "static")})
    result = manage("check", "--deploy", env=env)
    assert "pcrm.W001" in result.stderr
    assert "pcrm.W002" in result.stderr


def test_env_time_reads_hours_and_minutes():
    from datetime import time

    from pcrm.lib.env import env_time

    assert env_time("T", "09:00", environ={}) == time(9)
    assert env_time("T", "09:00", environ={"T": "08:30"}) == time(8, 30)
    with pytest.raises(ImproperlyConfigured, match="T='9시'"):
        env_time("T", "09:00", environ={"T": "9시"})


def test_collectstatic_succeeds_with_production_storage(tmp_path):
    """Hashed, compressed static files: every stylesheet's references must resolve."""
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "s" * 50,
            "ALLOWED_HOSTS": "pcrm.example.go.kr",
            "STATIC_ROOT": str(tmp_path / "static"),
        }
    )
    result = manage("collectstatic", "--no-input", "-v", "0", env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/krds/css/component/output.css" in manifest
    assert "pcrm/fonts.css" in manifest


def test_the_embedded_default_loads_with_no_variables_at_all(tmp_path):
    """A fresh checkout's `manage.py` works as is; only a production database asks for more."""
    env = {"PATH": os.environ["PATH"], "PCRM_VAR_DIR": str(tmp_path / "var")}
    result = manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "No changes detected" in result.stdout
    production = {**env, "DATABASE_URL": "postgres://pcrm@127.0.0.1:5432/pcrm"}
    result = manage("check", env=production)
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr
