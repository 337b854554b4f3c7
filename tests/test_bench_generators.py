"""The scale-data generators still fit the schema: a few rows of each, through the same
code the benchmarks run with a million (a new non-null column breaks COPY at once)."""

import sys

import pytest

from complaints.models import Complaint
from surveys.models import Response

pytestmark = pytest.mark.django_db(transaction=True)  # the generator runs VACUUM


def _run(main, *arguments, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["bench", *arguments])
    main()


def test_the_generators_fill_a_database(monkeypatch, capsys):
    from bench import generate, generate_surveys

    _run(generate.main, "--complaints", "300", "--citizens", "40", monkeypatch=monkeypatch)
    assert Complaint.objects.count() == 300
    assert not Complaint.objects.filter(published=True).exists()
    _run(generate_surveys.main, "--responses", "200", monkeypatch=monkeypatch)
    assert Response.objects.count() == 200
    assert "Traceback" not in capsys.readouterr().err
