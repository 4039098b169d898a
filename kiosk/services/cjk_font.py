"""Find a Simplified-Chinese font file the UI can load (SDL_ttf reads face 0 of a collection).

Order: the configured ``display.font_path``; else fontconfig (``fc-match`` for
"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei") on Linux; else Microsoft YaHei
on Windows. Noto CJK ``.ttc`` collections hold JP, KR, SC, TC, HK faces and face 0 is the
Japanese one (different glyph forms for 直, 骨, 写 …), so the SC face is extracted once with
fontTools into ``<data_dir>/fonts/`` and that single-face file is used — or, once
:mod:`kiosk.services.font_compaction` has written it, its compact copy (the same glyphs with the
CFF subroutines expanded: a quarter of the memory per open size).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kiosk.services.font_compaction import compacted

logger = logging.getLogger(__name__)

FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
WINDOWS_FONTS = ("msyh.ttc", "msyh.ttf", "simhei.ttf")


class FontNotFound(Exception):
    """No Simplified-Chinese font could be found; ``hint`` says how to install one."""

    def __init__(self, hint: str) -> None:
        self.hint = hint
        super().__init__(f"未找到简体中文字体 no Simplified-Chinese font: {hint}")


@dataclass(frozen=True)
class FontChoice:
    """A resolved font: ``path`` is the file to load (``single_face`` or its compact copy);
    ``source``/``face`` say where it came from; ``single_face`` is the extracted face (the
    input of :class:`~kiosk.services.font_compaction.BackgroundCompaction`)."""

    path: Path
    source: Path
    face: int
    family: str
    single_face: Path


def _choice(single_face: Path, source: Path, face: int, family: str, cache_dir: Path) -> FontChoice:
    return FontChoice(compacted(single_face, cache_dir), source, face, family, single_face)


def _fc_match(family: str, style: str = "") -> tuple[Path, int, str] | None:
    if shutil.which("fc-match") is None:
        return None
    pattern = family + (f":style={style}" if style else "")
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{family}", pattern],
                             capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.split("\t")
    if len(parts) < 3 or not parts[0]:
        return None
    found_family = parts[2]
    if family.split()[0].lower() not in found_family.lower():
        return None  # fontconfig substituted something unrelated
    return Path(parts[0]), int(parts[1] or 0), found_family.split(",")[0]


def _single_face(source: Path, face: int, cache_dir: Path) -> Path:
    """Return a file whose face 0 is ``face`` of ``source`` (extracting it when needed)."""
    if face == 0 and source.suffix.lower() not in (".ttc", ".otc"):
        return source
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / f"{source.stem}-face{face}.otf"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    from fontTools.ttLib import TTCollection  # imported lazily: only needed once per machine

    collection = TTCollection(str(source), lazy=True)
    tmp = target.with_suffix(".tmp")
    collection.fonts[face].save(str(tmp))
    tmp.replace(target)
    logger.info("extracted face %d of %s to %s", face, source, target)
    return target


def resolve_cjk_font(configured: str, cache_dir: Path, bold: bool = False) -> FontChoice:
    """Resolve the UI font.

    Args:
        configured: ``display.font_path`` ("" = search the system). A ``.ttc`` path may end in
            ``#N`` to pick face N; otherwise the face whose name contains "SC" is used.
        cache_dir: folder for extracted faces.
        bold: look for the bold weight (for headings).

    Raises:
        FontNotFound: nothing usable is installed (hint: ``apt-get install fonts-noto-cjk``).
    """
    if configured:
        path_text, _, face_text = configured.partition("#")
        path = Path(path_text).expanduser()
        if not path.exists():
            raise FontNotFound(f"display.font_path {path} does not exist")
        try:
            face = int(face_text) if face_text else _sc_face_index(path)
            chosen = _single_face(path, face, cache_dir)
            _check_font(chosen)
        except (ValueError, OSError, IndexError, KeyError, AssertionError) as exc:
            raise FontNotFound(f"display.font_path {path} is not a usable font file "
                               f"({type(exc).__name__})") from exc
        return _choice(chosen, path, face, path.stem, cache_dir)
    for family in FAMILIES:
        found = _fc_match(family, "Bold" if bold else "")
        if found:
            source, face, name = found
            return _choice(_single_face(source, face, cache_dir), source, face, name, cache_dir)
    if sys.platform == "win32":
        fonts = Path(r"C:\Windows\Fonts")
        for name in WINDOWS_FONTS:
            if (fonts / name).exists():
                return _choice(_single_face(fonts / name, 0, cache_dir), fonts / name, 0, name,
                               cache_dir)
    raise FontNotFound("install one, e.g. `apt-get install fonts-noto-cjk`, or set display.font_path")


def _check_font(path: Path) -> None:
    """Raise (ValueError, OSError, …) unless ``path`` is a font with CJK glyphs (e.g. 驿)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True, fontNumber=0)
    cmap = font.getBestCmap() or {}
    if ord("驿") not in cmap:
        raise ValueError("no Simplified-Chinese glyphs")


def _sc_face_index(path: Path) -> int:
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    for index, font in enumerate(TTCollection(str(path), lazy=True).fonts):
        family = font["name"].getDebugName(1) or ""
        if "SC" in family.split() or family.endswith(" SC"):
            return index
    return 0


def ui_fonts_in_background(configured: str,
                           cache_dir: Path) -> Future[tuple[FontChoice, FontChoice]]:
    """The regular and bold UI fonts (:func:`resolve_cjk_font`), resolved on a thread of
    their own: the two ``fc-match`` runs (~5 ms each) and a first start's face extraction
    (seconds, once per machine) overlap ``kiosk run``'s display query, Kivy configuration and
    first Kivy imports instead of preceding them (issue 23: home drawn ≤ 2 × a bare Kivy app).
    ``kiosk run`` takes the result before Kivy opens its window, so a missing font still ends
    the start with one line and no window.

    The future's ``result()`` waits and returns ``(regular, bold)``, or raises what the
    resolution raised: :class:`FontNotFound` (nothing usable installed), or ``OSError`` when
    the extracted face cannot be written under ``cache_dir``.
    """
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ui-fonts")
    future = executor.submit(lambda: (resolve_cjk_font(configured, cache_dir),
                                      resolve_cjk_font(configured, cache_dir, bold=True)))
    executor.shutdown(wait=False)  # the thread ends once the fonts are resolved
    return future
