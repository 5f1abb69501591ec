"""A web process compiles the published rules before its first request, and serves anyway
when it cannot."""

import logging
import runpy
from pathlib import Path
from unittest import mock

import pytest

from core.warmup import warm_up
from scenarios import services
from tests.scenarios.conftest import RULEBOOK

pytestmark = pytest.mark.django_db

CONFIG = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"


@pytest.fixture
def fresh_process(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(services, "_COMPILED", {})


@pytest.mark.usefixtures("fresh_process")
def test_the_published_rules_are_compiled_before_the_first_request() -> None:
    pack, _changed = services.publish_rule_sources(sources=RULEBOOK)
    services._COMPILED.clear()

    warm_up()

    assert list(services._COMPILED) == [pack.version]


@pytest.mark.usefixtures("fresh_process")
def test_with_nothing_published_the_warm_up_is_quiet(caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="core.warmup"):
        warm_up()

    assert services._COMPILED == {} and not caplog.records


def test_a_failing_warm_up_is_logged_and_the_process_serves_anyway(caplog) -> None:
    broken = mock.patch.object(services, "get_published_pack", side_effect=RuntimeError("down"))
    with broken, caplog.at_level(logging.WARNING, logger="core.warmup"):
        warm_up()

    assert "warm-up failed" in caplog.text


def test_gunicorn_runs_the_warm_up_in_each_worker() -> None:
    config = runpy.run_path(str(CONFIG))
    worker = mock.Mock()

    with mock.patch("core.warmup.warm_up", return_value=0.5) as warm:
        config["post_worker_init"](worker)

    warm.assert_called_once_with()
    assert config["threads"] >= 1 and config["workers"] >= 1
    worker.log.info.assert_called_once()
