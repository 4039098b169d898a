"""Paper profiles: what the layout and the command builder need to know about a printer model.

Column arithmetic (``shared/design/escpos-printing.md`` §1.2, Font A 12×24 ASCII / 24×24 Chinese):

=====================================  ======  =======  ================
head                                   dots    columns  Chinese per line
=====================================  ======  =======  ================
58 mm, 203 dpi (Xprinter, Gprinter)    384     32       16
80 mm, 203 dpi (Xprinter, TM-T20)      576     48       24
80 mm, 180 dpi Epson TM-T88/T81 class  512     42       21
=====================================  ======  =======  ================
"""

from __future__ import annotations

from dataclasses import dataclass

ASCII_CELL_DOTS = 12   # Font A ASCII cell width in dots; a Chinese cell is 2 columns = 24 dots.
LINE_HEIGHT_DOTS = 30  # default line spacing (ESC 2) on 203-dpi heads: 24-dot glyph + 6 dots.

_DOTS_FOR_COLUMNS = {32: 384, 42: 512, 48: 576}


@dataclass(frozen=True)
class PaperProfile:
    """One printer model's paper geometry and capabilities.

    Attributes:
        paper_mm: roll width in millimetres (58 or 80).
        columns: ASCII columns per line in Font A (a Chinese character takes 2).
        dots: printable width in dots (raster QR and the preview PNG use it).
        cutter: an auto-cutter exists (``GS V`` is sent; otherwise only a feed).
        qr_native: the printer executes ``GS ( k`` QR; False sends a ``GS v 0`` raster image.
        qr_module_dots: dots per QR module (1..16).
        cut_feed_lines: lines fed before the cut so the last line clears the blade.
    """

    paper_mm: int
    columns: int
    dots: int
    cutter: bool = True
    qr_native: bool = True
    qr_module_dots: int = 6
    cut_feed_lines: int = 4

    def __post_init__(self) -> None:
        if self.columns < 16 or self.columns * ASCII_CELL_DOTS > self.dots:
            raise ValueError(f"{self.columns} columns do not fit {self.dots} dots")
        if not 1 <= self.qr_module_dots <= 16:
            raise ValueError("qr_module_dots must be 1..16")


def paper_profile(paper_mm: int, columns: int = 0, *, cutter: bool = True,
                  qr: str = "native") -> PaperProfile:
    """The profile for a paper width and an optional column override.

    Args:
        paper_mm: 58 or 80.
        columns: 0 = default for the paper (32 / 48); 42 for 512-dot Epson-class heads.
        cutter: the model has an auto-cutter.
        qr: "native" (GS ( k) or "raster" (GS v 0 image).

    Raises:
        ValueError: unknown paper width, a column count the head cannot hold, bad ``qr``.
    """
    if paper_mm not in (58, 80):
        raise ValueError(f"paper must be 58 or 80 mm, not {paper_mm}")
    if qr not in ("native", "raster"):
        raise ValueError(f"qr must be 'native' or 'raster', not {qr!r}")
    cols = columns or (32 if paper_mm == 58 else 48)
    dots = _DOTS_FOR_COLUMNS.get(cols, cols * ASCII_CELL_DOTS)
    return PaperProfile(paper_mm=paper_mm, columns=cols, dots=dots, cutter=cutter,
                        qr_native=(qr == "native"), qr_module_dots=5 if paper_mm == 58 else 6)
