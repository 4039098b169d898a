"""A compact copy of the UI font: its CFF subroutines expanded into the glyphs (issue 23: memory).

Why: Kivy's SDL2 text provider opens one SDL_ttf font — one FreeType face — per font size and
weight in use (up to 64 kept open), and FreeType's CFF driver, reading the file through a stream
(SDL_ttf never hands it a memory block), copies each face's global and local subroutine INDEXes
into memory. For Noto Sans CJK SC that is 2.5 MB a face; once the subroutines are expanded into
the charstrings it is 0.73 MB (measured 2026-12-02 with SDL_ttf 2.22: six sizes opened, +16.4
vs +5.5 MB). The home screen alone uses eight faces, a day of visits to every screen dozens.

The glyphs do not change: desubroutinization (fontTools ``CFFFontSet.desubroutinize``) inlines
each ``callsubr``/``callgsubr`` with its body, hints included, so every outline is the same
(checked in ``tests/unit/test_font_compaction.py``). The file grows (Noto Sans CJK SC: 16.4 →
18.5 MB). Fonts without a CFF table (TrueType outlines, e.g. WenQuanYi) have no subroutines:
they are used as they are.

Cost: about 35 s of CPU and 430 MB of peak memory per weight on a 2-core terminal (fontTools
decompiles the 65,535 glyphs' charstrings; the other tables are copied as they are), too much
for start-up. So ``kiosk run`` starts
:class:`BackgroundCompaction`: :data:`START_DELAY_S` after start, a child process
(``python -m kiosk.services.font_compaction SINGLE_FACE...``) at the idle scheduling class
(SCHED_IDLE: it runs only on a core nothing else wants) writes ``<stem>-compact.otf`` beside
each single-face file, atomically (``.tmp`` then rename: a half-written file is never used).
The running kiosk keeps the font it started with; the next start (nightly, after a power cut)
finds the compact file (:func:`compacted`). The child dies with the kiosk (``PR_SET_PDEATHSIG``),
so a short run (tests, ``--exit-after``) leaves nothing behind; the next start tries again.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

#: seconds after ``kiosk run`` starts before the compaction child is started (start-up, the
#: first catalog sync and the first frames are over by then)
START_DELAY_S = 30.0
#: seconds the child may take before it is killed (about 35 s a weight at idle priority on a
#: quiet 2-core terminal; a busy one lends it less)
CHILD_TIMEOUT_S = 1800.0
SUFFIX = "-compact"
#: prctl(2) option: the signal a process gets when the thread that started it ends
PR_SET_PDEATHSIG = 1


class CompactionError(Exception):
    """The font could not be compacted (unreadable, not a font, disk full); ``path`` says which."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"字体压缩失败 font compaction failed for {path.name}: {reason}")


def compact_path(single_face: Path) -> Path:
    """Where the compact copy of ``single_face`` lives: same folder, ``<stem>-compact.otf``."""
    return single_face.with_name(f"{single_face.stem}{SUFFIX}.otf")


def compacted(single_face: Path, cache_dir: Path) -> Path:
    """The file the UI should load for ``single_face``: its compact copy in ``cache_dir`` when one
    exists and is not older than ``single_face``, else ``single_face`` itself."""
    target = compact_path(cache_dir / single_face.name)
    try:
        if target.stat().st_mtime >= single_face.stat().st_mtime and target.stat().st_size > 0:
            return target
    except OSError:
        pass
    return single_face


def compact(source: Path, target: Path) -> bool:
    """Write ``source`` to ``target`` with its CFF subroutines expanded.

    Returns False (and writes nothing) when ``source`` has no CFF table or no subroutines to
    expand. Writes ``target`` with the suffix ``.tmp`` first, then renames it.

    Raises:
        CompactionError: ``source`` cannot be read as a font, or ``target`` cannot be written.
    """
    from fontTools.ttLib import TTFont, TTLibError   # imported here: only in the child

    try:
        font = TTFont(str(source))   # tables read when used: the others are saved as they are
        if "CFF " not in font:
            return False
        cff = font["CFF "].cff
        if not _has_subroutines(cff):
            return False
        cff.desubroutinize()
        tmp = target.with_name(target.name + ".tmp")
        font.save(str(tmp))
        tmp.replace(target)
    except (OSError, TTLibError, KeyError, ValueError, AssertionError, IndexError,
            struct.error) as exc:
        raise CompactionError(source, f"{type(exc).__name__}: {exc}") from exc
    return True


def _has_subroutines(cff: object) -> bool:
    """True when the CFF font set has a global subroutine or any (per-FD) local subroutine."""
    if len(getattr(cff, "GlobalSubrs", ()) or ()) > 0:
        return True
    for top in cff.topDictIndex:  # type: ignore[attr-defined]
        privates = [fd.Private for fd in top.FDArray] if hasattr(top, "FDArray") else [top.Private]
        if any(len(getattr(private, "Subrs", ()) or ()) > 0 for private in privates):
            return True
    return False


class BackgroundCompaction:
    """Compacts the given single-face font files in a child process, once, after a delay.

    ``start()`` returns at once; a daemon thread waits ``delay_s`` (``stop()`` ends the wait),
    then runs the child for the files whose compact copy is missing and waits for it. A failed
    child is logged (its stderr's last line: file names, no personal data) and the kiosk goes on
    with the plain face.
    """

    def __init__(self, faces: Sequence[Path], cache_dir: Path, delay_s: float = START_DELAY_S,
                 timeout_s: float = CHILD_TIMEOUT_S) -> None:
        self.faces = list(dict.fromkeys(faces))
        self.cache_dir = cache_dir
        self.delay_s = delay_s
        self.timeout_s = timeout_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.returncode: int | None = None

    def pending(self) -> list[Path]:
        """The faces that have no compact copy yet."""
        return [face for face in self.faces if compacted(face, self.cache_dir) == face]

    def start(self) -> None:
        if not self.pending() or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="font-compaction", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout_s: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        if self._stop.wait(self.delay_s):
            return
        faces = self.pending()
        if not faces:
            return
        argv = [sys.executable, "-m", "kiosk.services.font_compaction",
                "--cache-dir", str(self.cache_dir), "--parent", str(os.getpid()),
                *map(str, faces)]
        try:
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, timeout=self.timeout_s, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("font compaction not run: %s", type(exc).__name__)
            return
        self.returncode = done.returncode
        if done.returncode != 0:
            last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
            log.warning("font compaction failed (exit %d): %s", done.returncode, last[:300])
        else:
            log.info("UI font compacted (used from the next start): %s",
                     ", ".join(face.name for face in faces))


def _become_background(parent: int) -> None:
    """Die with the kiosk (prctl PR_SET_PDEATHSIG; Linux) and run at the idle scheduling class
    (sched(7) SCHED_IDLE) at nice 19; where either is missing, go on without it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if parent and os.getppid() != parent:
        sys.exit(0)                         # the kiosk ended before the signal was armed
    try:
        os.nice(19)
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (OSError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.services.font_compaction",
                                     description="Write <stem>-compact.otf for each face.")
    parser.add_argument("faces", nargs="+", type=Path)
    parser.add_argument("--cache-dir", type=Path, required=True)
    parser.add_argument("--parent", type=int, default=0,
                        help="the kiosk's pid: exit when it has gone")
    args = parser.parse_args(argv)
    _become_background(args.parent)
    status = 0
    for face in args.faces:
        try:
            compact(face, compact_path(args.cache_dir / face.name))
        except CompactionError as exc:
            print(str(exc), file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
