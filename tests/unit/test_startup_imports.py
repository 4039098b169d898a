"""What `kiosk run` imports before the home screen's first frame (issue 23: home drawn within
2 × a bare Kivy app). The platform client, its pydantic wire models, the printer driver and
pypinyin come up after the first frame, on the services' worker thread; a journey declaration
or a service module that imports them at module level puts them back before the first frame
(it happened once: ~0.15 s of CPU more before home was drawn)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_child(code: str, folder: Path, timeout_s: float = 60) -> dict[str, str]:
    """Run ``code`` in a fresh interpreter (argv[1] = ``folder``); its ``KEY value`` lines."""
    done = subprocess.run([sys.executable, "-c", code, str(folder)], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout_s)
    found = dict(line.split(" ", 1) for line in done.stdout.splitlines()
                 if " " in line and line.split(" ", 1)[0].isupper())
    found["stderr"] = done.stderr[-2000:]
    return found

# What `kiosk run` does before Kivy draws home (kiosk/cli/run.py: settings, build_services
# without platform and devices, i.e. session, voice and the journey engine, whose declarations
# load later on the start-up worker), then the kv parser's patch and the app module (its
# import opens Kivy's window: on the tests' Xvfb). "DEFERRED": what must not be imported yet;
# "HEAVY": what the declarations, once loaded, must not pull in either.
CHILD = r'''
import json, os, sys
from pathlib import Path
os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_NO_CONSOLELOG"] = "1"
import kiosk.cli.run
from kiosk.bootstrap import build_services
from kiosk.settings import load_settings
services = build_services(load_settings(None, environ={}), data_root=Path(sys.argv[1]),
                          devices=False, platform=False)
from kiosk.ui import kv_precompile
kv_precompile.install()            # as kiosk.ui.kivy_env.prepare_kivy does
import kiosk.app
deferred = ("kiosk.services.journeys.declared.registration", "kiosk.devices.idcard.reader",
            "kiosk.devices.idcard.simulator", "kiosk.domain.fairs", "kiosk.services.interests",
            "kiosk.services.card_events", "kiosk.ui.idle_overlay", "kiosk.ui.leave_form",
            "kiosk.ui.out_of_service")
print("KV_PATCHED " + json.dumps(kv_precompile.kivy_precompile is not None))
print("DEFERRED " + json.dumps(sorted(m for m in deferred if m in sys.modules)))
# Standard-library modules needed only once a journey starts (hashlib loads OpenSSL: ~3 ms;
# uuid ~2.5 ms).
later = ("hashlib", "uuid")
print("LATER " + json.dumps(sorted(m for m in later if m in sys.modules)))
services.journeys.load()
assert "register" in services.journeys.journeys, "no journeys declared"
heavy = ("pydantic", "requests", "escpos", "pypinyin", "cryptography", "qrcode")
print("HEAVY " + json.dumps(sorted(m for m in heavy if m in sys.modules)))
'''


def test_nothing_heavy_is_imported_before_the_first_frame(tmp_path):
    found = run_child(CHILD, tmp_path)
    assert {"DEFERRED", "LATER", "HEAVY"} <= set(found), found["stderr"]
    assert json.loads(found["DEFERRED"]) == []   # journeys, reader, fairs: after the first frame
    assert json.loads(found["LATER"]) == []      # the consent's hash, session ids
    assert json.loads(found["KV_PATCHED"]) is True   # kiosk.ui.kv_precompile, in place
    assert json.loads(found["HEAVY"]) == []



# The start-up worker in the production shape (a remote platform; nothing listens at its
# address): every service built, devices included, without the HTTP stack or the wire models —
# ~180 ms of the worker before any service button worked (issue 23) — nor prometheus_client,
# which Services.start() imports on the quality service's own thread. The first request
# imports the others; preload() imports the rest, as Services.start() does after it.
WORKER_CHILD = r'''
import json, os, secrets, sys
from pathlib import Path
os.environ["KIVY_NO_ARGS"] = "1"
from kiosk.bootstrap import build_services
from kiosk.platform import client as client_module
from kiosk.settings import load_settings
folder = Path(sys.argv[1])
(folder / "data").mkdir()
secret = folder / "data" / "device.secret"
secret.write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
secret.chmod(0o600)
site = folder / "site.toml"
site.write_text('[paths]\ndata_dir = "%s"\n[platform]\nbase_url = "http://127.0.0.1:9/v1"\n'
                '[catalog]\nsync_process = false\n' % (folder / "data"), encoding="utf-8")
services = build_services(load_settings(site, environ={}))
names = ("pydantic", "requests", "urllib3") + client_module.DEFERRED_MODULES
print("BUILT " + json.dumps(sorted(m for m in names if m in sys.modules)))
print("FAIRS " + json.dumps(len(services.fairs.store.all())))
print("METRICS " + json.dumps("prometheus_client" in sys.modules))
services.start()                  # the quality service (prometheus_client) on its own thread
import time
deadline = time.monotonic() + 20
while services.quality is None and time.monotonic() < deadline:
    time.sleep(0.02)
print("QUALITY " + json.dumps(services.quality is not None))
try:
    services.client.ping()
except Exception as exc:
    print("PING " + type(exc).__name__)
print("AFTER_PING " + json.dumps(sorted(m for m in names if m in sys.modules)))
client_module.preload()
print("PRELOADED " + json.dumps(sorted(m for m in names if m not in sys.modules)))
print("CRYPTO " + json.dumps("cryptography" in sys.modules))
services.stop()
'''


def test_the_platform_side_builds_without_the_http_stack_or_the_wire_models(tmp_path):
    found = run_child(WORKER_CHILD, tmp_path)
    assert "PRELOADED" in found, found["stderr"]
    assert json.loads(found["BUILT"]) == []
    assert json.loads(found["FAIRS"]) == 0                 # the fair table opens and reads
    assert json.loads(found["METRICS"]) is False           # not before Services.start()
    assert json.loads(found["QUALITY"]) is True            # started beside the UI thread
    assert found["PING"] == "PlatformUnavailable"          # nothing listens: a typed error
    assert {"requests", "urllib3", "pydantic", "kiosk.platform.transport",
            "kiosk.platform.models"} <= set(json.loads(found["AFTER_PING"]))
    assert json.loads(found["PRELOADED"]) == []            # all imported, none left for the UI
    assert json.loads(found["CRYPTO"]) is False   # empty outbox: AES-GCM not loaded (~6 MiB)


# The same worker in demo mode as `kiosk run` builds it: the embedded sandbox listens but is
# not started (FastAPI, uvicorn and pydantic: ~650 ms with its seeding, issue 23), until
# Services.start(); a request sent before then waits for it.
DEMO_CHILD = r'''
import json, os, sys
from pathlib import Path
os.environ["KIVY_NO_ARGS"] = "1"
from kiosk.bootstrap import build_services, complete_services
from kiosk.settings import load_settings
folder = Path(sys.argv[1])
site = folder / "site.toml"
site.write_text('[paths]\ndata_dir = "%s"\n[catalog]\nsync_process = false\n'
                % (folder / "data"), encoding="utf-8")
services = build_services(load_settings(site, environ={}), devices=False, platform=False)
complete_services(services, sandbox_in_background=True)
names = ("fastapi", "uvicorn", "pydantic", "requests")
print("BUILT " + json.dumps(sorted(m for m in names if m in sys.modules)))
print("STARTED " + json.dumps(services.sandbox.started))
services.start()
print("STATION " + services.client.station().terminal_id)
print("SERVING " + json.dumps(services.sandbox.started))
services.stop()
'''


def test_demo_mode_builds_without_starting_the_sandbox_and_serves_after_start(tmp_path):
    found = run_child(DEMO_CHILD, tmp_path, timeout_s=120)
    assert "SERVING" in found, found["stderr"]
    assert json.loads(found["BUILT"]) == []
    assert json.loads(found["STARTED"]) is False
    assert found["STATION"] == "GD-DEMO-0001"
    assert json.loads(found["SERVING"]) is True

def test_malloc_is_configured_on_glibc():
    from kiosk.services.heap_release import configure_malloc, release_freed_memory

    assert configure_malloc() is True      # this machine's C library is glibc
    assert release_freed_memory() in (True, False)


# The printer side of the start-up worker: the slip services and the configured printer (the
# preview connector by default) are built without python-escpos, qrcode or Pillow — a real
# connector imports python-escpos when it opens its link on the printer's worker, a slip's QR
# code imports qrcode when it is encoded, the preview imports Pillow when it draws a job.
PRINTER_CHILD = r'''
import json, sys
from pathlib import Path
import kiosk.services.slip, kiosk.services.fairs, kiosk.services.guidance, kiosk.devices.printer
from kiosk.devices.printer import UsbConnector
from kiosk.services.slip import build_printer
from kiosk.settings import load_settings
site = Path(sys.argv[1]) / "site.toml"
site.write_text('[paths]\ndata_dir = "%s"\n' % (Path(sys.argv[1]) / "data"), encoding="utf-8")
settings = load_settings(site, environ={})
printer = build_printer(settings)
UsbConnector(0x0416, 0x5011)
print("HEAVY " + json.dumps(sorted(m for m in ("escpos", "qrcode", "PIL") if m in sys.modules)))
print("PREVIEW " + printer.connector.name)
printer.close()
'''


def test_the_printer_side_builds_without_escpos_qrcode_or_pillow(tmp_path):
    found = run_child(PRINTER_CHILD, tmp_path)
    assert "HEAVY" in found, found["stderr"]
    assert json.loads(found["HEAVY"]) == []
    assert found["PREVIEW"] == "preview"


def test_a_connector_imports_escpos_when_it_opens(tmp_path):
    from kiosk.devices.printer import FileConnector, PrinterConnectionError

    connection = FileConnector(str(tmp_path / "lp0")).open()   # python-escpos File, opened
    try:
        connection.write(b"\x1b@")
    finally:
        connection.close()
    assert (tmp_path / "lp0").read_bytes() == b"\x1b@"
    assert "escpos.printer" in sys.modules
    try:
        FileConnector(str(tmp_path / "no-such-dir" / "lp0")).open()
    except PrinterConnectionError as exc:
        assert "cannot open" in str(exc)
    else:
        raise AssertionError("a missing device file opened")
