"""The deployment files agree with the code: every variable the settings (and the
gunicorn configuration) read is in deploy/.env.example and docs/deployment.md, and the
example's values pass ``manage.py check --deploy``."""

import os
import re
import runpy
from pathlib import Path

from tests.processes import manage

BASE = Path(__file__).resolve().parents[2]
READERS = re.compile(r"""env_[a-z]+\(\s*"([A-Z][A-Z0-9_]+)\"""")
GUNICORN = re.compile(r"""os\.environ\.get\("([A-Z][A-Z0-9_]+)\"""")
# filled in for the check: the example leaves secrets empty on purpose
SECRETS = {
    "SECRET_KEY": "k" * 20 + "9f8A7s6D5f4G3h2J1k0LzXcVbNmQwErTyUiOp",
    "PCRM_DATA_KEYS": "9jGpW7q8Jq3n2l1nN0mJ8yq4oGk3JzqT5o1a2b3c4d8=",
    "PCRM_HASH_KEY": "h" * 48,
    "EMAIL_HOST_PASSWORD": "x",
}


def _read_variables() -> set[str]:
    names = set(READERS.findall((BASE / "pcrm" / "settings.py").read_text()))
    names |= set(GUNICORN.findall((BASE / "deploy" / "gunicorn.conf.py").read_text()))
    return names


def _example() -> dict[str, str]:
    pairs = {}
    for line in (BASE / "deploy" / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def test_every_variable_is_in_the_example_and_the_documentation():
    names = _read_variables()
    assert {"DATABASE_URL", "SECRET_KEY", "WEB_CONCURRENCY", "METRICS_ALLOWED_NETWORKS"} <= names
    example = _example()
    documentation = (BASE / "docs" / "deployment.md").read_text()
    assert names - set(example) == set(), "missing from deploy/.env.example"
    assert {n for n in names if f"`{n}`" not in documentation} == set(), "not documented"
    worker_unit = (BASE / "deploy" / "pcrm-worker.service").read_text()
    assert "${WORKER_CONCURRENCY}" in worker_unit and "WORKER_CONCURRENCY" in example


def test_check_deploy_is_clean_with_the_example(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REDIS_URL"}}
    env.update({k: v or SECRETS.get(k, v) for k, v in _example().items()})
    env["STATIC_ROOT"] = str(tmp_path / "static")
    env["PCRM_VAR_DIR"] = str(tmp_path / "var")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_gunicorn_configuration_loads():
    config = runpy.run_path(str(BASE / "deploy" / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8000" and config["workers"] >= 1
    assert "request_id" in config["access_log_format"]
    for unit in ("pcrm-web", "pcrm-worker", "pcrm-beat"):
        text = (BASE / "deploy" / f"{unit}.service").read_text()
        assert "EnvironmentFile=/etc/pcrm/pcrm.env" in text and "ExecStart=" in text
