"""gunicorn.conf.py: workers from the environment, 2–4 by default; the production config."""

import runpy
from pathlib import Path

import pytest

CONF = str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py")


@pytest.fixture(autouse=True)
def _keep_app_config(monkeypatch):
    monkeypatch.setenv("APP_CONFIG", "testing")  # the file only sets a default; restored after each test


@pytest.mark.parametrize("cpus, expected", [(1, 2), (2, 4), (16, 4)])
def test_default_workers_between_2_and_4(monkeypatch, cpus, expected):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: cpus)
    assert runpy.run_path(CONF)["workers"] == expected


def test_workers_and_bind_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    monkeypatch.setenv("BIND", "0.0.0.0:9000")
    conf = runpy.run_path(CONF)
    assert conf["workers"] == 7 and conf["bind"] == "0.0.0.0:9000"
    assert conf["wsgi_app"] == "wsgi:app" and conf["preload_app"] is False
