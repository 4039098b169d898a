"""The preview printer: a connector that stores each job's exact bytes and a PNG of the paper,
and answers DLE EOT like a real printer in a chosen state (demo mode, UI work, tests).

Files: ``<out_dir>/slip-<YYYYmmdd-HHMMSS>-<seq>.bin`` (the job bytes, status polls excluded)
and the same name with ``.png`` (see :mod:`kiosk.devices.printer.render`). If the PNG cannot
be drawn (no CJK font) the ``.bin`` is still written and a warning is logged.

Simulated states (:data:`PREVIEW_STATES`) and the DLE EOT 1/2/3/4 replies they produce:

============  ======  ======  ======  ======  ==============================
state         n=1     n=2     n=3     n=4     driver outcome
============  ======  ======  ======  ======  ==============================
ok            0x12    0x12    0x12    0x12    prints
near_end      0x12    0x12    0x12    0x1E    prints, warns
paper_end     0x1A    0x32    0x12    0x7E    PaperEnd
cover_open    0x1A    0x16    0x12    0x12    CoverOpen
offline       0x1A    0x12    0x12    0x12    PrinterOffline
cutter_error  0x1A    0x52    0x1A    0x12    PrinterFault
no_reply      —       —       —       —       PrinterNotAnswering
stuck         0x12    0x12    0x12    0x12    write blocks until aborted
============  ======  ======  ======  ======  ==============================
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from pathlib import Path

from kiosk.devices.printer.connectors import Connection, Connector
from kiosk.devices.printer.errors import PreviewRenderError, PrinterConnectionError
from kiosk.devices.printer.profile import PaperProfile

log = logging.getLogger(__name__)

PREVIEW_STATES: dict[str, dict[int, int] | None] = {
    "ok": {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12},
    "near_end": {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E},
    "paper_end": {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E},
    "cover_open": {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12},
    "offline": {1: 0x1A, 2: 0x12, 3: 0x12, 4: 0x12},
    "cutter_error": {1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12},
    "no_reply": None,
    "stuck": {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12},
}


class _PreviewConnection:
    bidirectional = True

    def __init__(self, owner: PreviewConnector) -> None:
        self._owner = owner
        self._job = bytearray()
        self._replies = bytearray()
        self._aborted = threading.Event()
        self._closed = False
        self.outputs: tuple[Path, ...] = ()

    def write(self, data: bytes) -> None:
        if self._closed:
            raise PrinterConnectionError("preview connection is closed", "preview")
        state = self._owner.state
        if len(data) == 3 and data[:2] == b"\x10\x04" and 1 <= data[2] <= 4:
            replies = PREVIEW_STATES[state]
            if replies is not None:
                self._replies.append(replies[data[2]])
            return
        if state == "stuck":
            self._aborted.wait()
            raise PrinterConnectionError("write aborted", "preview")
        self._job += data

    def read(self, timeout_ms: int) -> bytes:
        data, self._replies = bytes(self._replies), bytearray()
        return data

    def discard_input(self) -> None:
        self._replies.clear()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._aborted.set()
        if self._job:
            self.outputs = self._owner._store(bytes(self._job))


class PreviewConnector(Connector):
    """Stores jobs under ``out_dir`` (created 0700) and renders them for ``profile``.

    Args:
        out_dir: folder for the ``.bin``/``.png`` files.
        profile: the paper profile the PNG is drawn for.
        state: initial simulated state, one of :data:`PREVIEW_STATES`.
        render_png: draw a PNG next to each ``.bin``.
    """

    name = "preview"

    def __init__(self, out_dir: Path, profile: PaperProfile, state: str = "ok",
                 render_png: bool = True) -> None:
        super().__init__()
        self.out_dir = Path(out_dir)
        self.profile = profile
        self.render_png = render_png
        self.state = "ok"
        self.set_state(state)
        self._seq = itertools.count(1)
        self.last_outputs: tuple[Path, ...] = ()

    def set_state(self, state: str) -> None:
        """Simulate a printer state. Raises ValueError for a name not in PREVIEW_STATES."""
        if state not in PREVIEW_STATES:
            raise ValueError(f"unknown preview state {state!r}; one of {sorted(PREVIEW_STATES)}")
        self.state = state

    def _connect(self) -> Connection:
        return _PreviewConnection(self)

    def _store(self, job: bytes) -> tuple[Path, ...]:
        self.out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        stem = f"slip-{time.strftime('%Y%m%d-%H%M%S')}-{next(self._seq):04d}"
        bin_path = self.out_dir / f"{stem}.bin"
        bin_path.write_bytes(job)
        outputs: tuple[Path, ...] = (bin_path,)
        if self.render_png:
            png_path = self.out_dir / f"{stem}.png"
            try:
                from kiosk.devices.printer.render import render_escpos  # Pillow: on first job

                render_escpos(job, self.profile).save(png_path)
                outputs += (png_path,)
            except PreviewRenderError as exc:
                log.warning("preview PNG not drawn: %s", exc)
        self.last_outputs = outputs
        return outputs
