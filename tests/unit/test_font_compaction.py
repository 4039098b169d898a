"""The UI font's compact copy (kiosk.services.font_compaction): the same outlines without CFF
subroutines, written atomically beside the single face, used from the next start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from kiosk.services.cjk_font import resolve_cjk_font
from kiosk.services.font_compaction import (BackgroundCompaction, CompactionError, compact,
                                            compact_path, compacted)

TEXT = "就业驿站岗位推荐招聘会零工 Employment 0123"


@pytest.fixture(scope="module")
def small_cff(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A subset of Noto Sans CJK SC with the subroutines kept (fontTools subset, no
    desubroutinize): 28 glyphs, global and per-FD local subroutines."""
    from fontTools import subset

    folder = tmp_path_factory.mktemp("fonts")
    resolved = resolve_cjk_font("", folder)
    options = subset.Options()
    options.desubroutinize = False
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(resolved.single_face), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=TEXT)
    subsetter.subset(font)
    target = folder / "small-face2.otf"
    font.save(str(target))
    return target


def subroutine_counts(path: Path) -> tuple[int, list[int]]:
    cff = TTFont(str(path))["CFF "].cff
    top = cff.topDictIndex[0]
    local = [len(getattr(fd.Private, "Subrs", ()) or ()) for fd in top.FDArray]
    return len(cff.GlobalSubrs), local


def outlines(path: Path) -> dict[str, list]:
    font = TTFont(str(path))
    glyphs = font.getGlyphSet()
    drawn = {}
    for name in font.getGlyphOrder():
        pen = RecordingPen()
        glyphs[name].draw(pen)
        drawn[name] = pen.value
    return drawn


def test_compact_expands_every_subroutine_and_keeps_every_outline(small_cff: Path,
                                                                   tmp_path: Path) -> None:
    global_subrs, local_subrs = subroutine_counts(small_cff)
    assert global_subrs > 0 and sum(local_subrs) > 0           # the input really has some
    target = tmp_path / "small-face2-compact.otf"
    assert compact(small_cff, target) is True
    assert subroutine_counts(target) == (0, [0] * len(local_subrs))
    before, after = outlines(small_cff), outlines(target)
    assert list(after) == list(before)                         # same glyphs, same order
    assert after == before                                     # every point of every contour
    assert TTFont(str(target)).getBestCmap()[ord("驿")] == TTFont(str(small_cff)).getBestCmap()[
        ord("驿")]
    assert not (tmp_path / "small-face2-compact.otf.tmp").exists()


def test_a_truetype_font_is_left_as_it_is(tmp_path: Path) -> None:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((0, 0)); pen.lineTo((0, 500)); pen.lineTo((500, 0)); pen.closePath()  # noqa: E702
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({ord("A"): "A"})
    builder.setupGlyf({".notdef": pen.glyph(), "A": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "A": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "T", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    source = tmp_path / "t.ttf"
    builder.save(str(source))
    target = tmp_path / "t-compact.otf"
    assert compact(source, target) is False
    assert not target.exists()


@pytest.mark.parametrize("cut", [0, 12, 200, 2000])
def test_a_file_that_is_no_font_or_a_cut_one_raises_and_writes_nothing(
        small_cff: Path, tmp_path: Path, cut: int) -> None:
    source = tmp_path / "broken.otf"
    source.write_bytes(small_cff.read_bytes()[:cut] if cut else b"not a font at all")
    with pytest.raises(CompactionError, match="broken.otf"):
        compact(source, tmp_path / "broken-compact.otf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.otf"]


def test_the_compact_copy_is_used_only_when_it_is_not_older_than_the_face(tmp_path: Path) -> None:
    face = tmp_path / "NotoSansCJK-Regular-face2.otf"
    face.write_bytes(b"face")
    assert compact_path(face) == tmp_path / "NotoSansCJK-Regular-face2-compact.otf"
    assert compacted(face, tmp_path) == face                            # none yet
    compact_path(face).write_bytes(b"compact")
    assert compacted(face, tmp_path) == compact_path(face)
    later = time.time() + 60
    os.utime(face, (later, later))                                      # face re-extracted
    assert compacted(face, tmp_path) == face
    os.utime(compact_path(face), (later + 1, later + 1))
    compact_path(face).write_bytes(b"")                                 # empty: never used
    assert compacted(face, tmp_path) == face


def test_resolve_returns_the_compact_copy_once_written(small_cff: Path, tmp_path: Path) -> None:
    chosen = resolve_cjk_font(str(small_cff), tmp_path)
    assert chosen.path == chosen.single_face == small_cff
    compact(small_cff, compact_path(tmp_path / small_cff.name))
    chosen = resolve_cjk_font(str(small_cff), tmp_path)
    assert chosen.path == tmp_path / "small-face2-compact.otf"
    assert chosen.single_face == small_cff


def test_background_compaction_runs_the_child_once_and_then_has_nothing_pending(
        small_cff: Path, tmp_path: Path) -> None:
    job = BackgroundCompaction([small_cff, small_cff], tmp_path, delay_s=0)
    assert job.pending() == [small_cff]
    job.start()
    job.join(120)
    assert job.returncode == 0
    assert subroutine_counts(tmp_path / "small-face2-compact.otf")[0] == 0
    assert job.pending() == []
    again = BackgroundCompaction([small_cff], tmp_path, delay_s=0)
    again.start()                                   # nothing to do: no thread, no child
    assert again._thread is None


def test_stopped_during_the_delay_no_child_runs(small_cff: Path, tmp_path: Path) -> None:
    job = BackgroundCompaction([small_cff], tmp_path, delay_s=30)
    job.start()
    job.stop()
    job.join(5)
    assert job.returncode is None
    assert not compact_path(tmp_path / small_cff.name).exists()


def test_the_child_exits_at_once_when_its_kiosk_has_gone(small_cff: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk.services.font_compaction",
                           "--cache-dir", str(tmp_path), "--parent", "1", str(small_cff)],
                          capture_output=True, timeout=60, check=False)
    assert done.returncode == 0
    assert list(tmp_path.iterdir()) == []


def test_the_child_reports_a_broken_face_on_stderr_and_exits_1(tmp_path: Path) -> None:
    broken = tmp_path / "broken.otf"
    broken.write_bytes(b"not a font")
    done = subprocess.run([sys.executable, "-m", "kiosk.services.font_compaction",
                           "--cache-dir", str(tmp_path), str(broken)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "字体压缩失败 font compaction failed for broken.otf" in done.stderr
    assert "Traceback" not in done.stderr
