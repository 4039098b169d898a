"""The ``ui`` fixture: one real KioskApp for the whole test session, driven in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.harness import UiDriver

_DRIVER: UiDriver | None = None


def _make_app(tmp_root: Path) -> UiDriver:
    from kiosk.bootstrap import build_services
    from kiosk.services.cjk_font import resolve_cjk_font
    from kiosk.settings import load_settings, parse_settings  # noqa: F401
    from kiosk.ui.kivy_env import WindowPlan, prepare_kivy

    site = tmp_root / "site.toml"
    site.write_text(f'[paths]\ndata_dir = "{tmp_root / "data"}"\n'
                    '[session]\nidle_timeout_s = 60\ncountdown_s = 15\n'
                    # the app syncs in-process here (a child per sync costs CI seconds; the
                    # child path: tests/services/test_sync_job.py, bench/bench_idle.py)
                    '[catalog]\nsync_process = false\n', encoding="utf-8")
    settings = load_settings(site, environ={})
    services = build_services(settings)
    font = resolve_cjk_font("", tmp_root / "fonts")
    bold = resolve_cjk_font("", tmp_root / "fonts", bold=True)
    prepare_kivy(tmp_root / "kivy", WindowPlan((1080, 1920), False), 60, True)

    from kivy.base import runTouchApp

    from kiosk.app import KioskApp

    app = KioskApp(services, font.path, bold.path)
    app._run_prepare()
    runTouchApp(embedded=True)
    driver = UiDriver(app)
    driver.pump(5)
    driver.wait_until(lambda: app.ready, 30, "services started")
    return driver


@pytest.fixture(scope="session")
def ui_app(tmp_path_factory: pytest.TempPathFactory) -> UiDriver:
    global _DRIVER
    if _DRIVER is None:
        _DRIVER = _make_app(tmp_path_factory.mktemp("kiosk-ui"))
    yield _DRIVER


@pytest.fixture
def ui(ui_app: UiDriver) -> UiDriver:
    ui_app.set_size(1080, 1920)
    ui_app.reset()
    yield ui_app
    ui_app.reset()
