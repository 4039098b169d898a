"""Real-time status (DLE EOT n) parsing into :class:`PrinterStatus`.

Reply format (Epson ESC/POS; §3.1 of ``shared/design/escpos-printing.md``): one byte
``0xx1xx10b``, i.e. ``(b & 0x93) == 0x12``. Bits used:

* n = 1: bit 3 (0x08) offline.
* n = 2: bit 2 (0x04) cover open, bit 5 (0x20) stopped by paper end, bit 6 (0x40) error.
* n = 3: bit 3 (0x08) auto-cutter error, bit 5 (0x20) unrecoverable, bit 6 (0x40) auto-recoverable.
* n = 4: bits 2-3 (0x0C) paper near end, bits 5-6 (0x60) paper end.

A missing or malformed reply means *unknown*, never "paper OK" (python-escpos 3.1
``paper_status()`` returns "OK" on silence; this module does not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping

STATUS_MASK, STATUS_FORM = 0x93, 0x12


def status_byte(reply: bytes | None) -> int | None:
    """The last byte of ``reply`` of the DLE EOT form, or None (empty, or no valid byte)."""
    for b in reversed(reply or b""):
        if b & STATUS_MASK == STATUS_FORM:
            return b
    return None


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer reported before a job.

    Attributes:
        online: DLE EOT 1 bit 3 clear (False when offline *or* unknown).
        paper_end: roll paper end (n=4 0x60 or n=2 0x20).
        paper_near_end: near-end sensor (n=4 0x0C); printing is still allowed.
        cover_open: n=2 0x04.
        error: n=2 0x40 (details in ``cutter_error``/``unrecoverable_error``).
        unknown: a needed reply (n = 1, 2 or 4) was missing or malformed, or the connector
            cannot read (file/lp device). Nothing above can then be trusted.
        cutter_error: n=3 0x08.
        unrecoverable_error: n=3 0x20.
        raw: ``{n: reply bytes}`` as received (b"" for silence), for the maintenance screen.
    """

    online: bool = False
    paper_end: bool = False
    paper_near_end: bool = False
    cover_open: bool = False
    error: bool = False
    unknown: bool = True
    cutter_error: bool = False
    unrecoverable_error: bool = False
    raw: Mapping[int, bytes] = field(default_factory=dict, compare=False)

    @property
    def ready(self) -> bool:
        """True only when the printer answered and is online, closed, with paper, no error."""
        return (not self.unknown and self.online and not self.paper_end
                and not self.cover_open and not self.error)

    def message_zh(self) -> str:
        """One short Chinese sentence for the screen / maintenance page."""
        if self.unknown:
            return "打印机无响应，状态未知"
        if self.paper_end:
            return "打印纸已用完，请联系工作人员更换"
        if self.cover_open:
            return "打印机盖未合上"
        if self.cutter_error:
            return "打印机切刀故障"
        if self.error:
            return "打印机故障"
        if not self.online:
            return "打印机离线"
        if self.paper_near_end:
            return "打印纸即将用完，请及时更换"
        return "打印机正常"

    def summary(self) -> str:
        """An English one-liner for logs and the CLI: "online paper_near_end" etc."""
        if self.unknown:
            return "unknown (no reply)"
        flags = [name for name in ("paper_end", "paper_near_end", "cover_open", "error",
                                   "cutter_error", "unrecoverable_error") if getattr(self, name)]
        return " ".join(["online" if self.online else "offline"] + flags)


UNKNOWN_STATUS = PrinterStatus()


def parse_status(replies: Mapping[int, bytes | None]) -> PrinterStatus:
    """Combine the replies to DLE EOT 1, 2, 4 (and optionally 3) into a :class:`PrinterStatus`.

    Args:
        replies: ``{n: reply}``; a missing key or None/b"" means the printer did not answer.

    Returns:
        A status whose ``unknown`` is True if reply 1, 2 or 4 is missing or malformed.
    """
    raw = {n: bytes(replies.get(n) or b"") for n in (1, 2, 3, 4) if n in replies}
    s1, s2, s3, s4 = (status_byte(replies.get(n)) for n in (1, 2, 3, 4))
    unknown = s1 is None or s2 is None or s4 is None
    v1, v2, v3, v4 = (b or 0 for b in (s1, s2, s3, s4))
    return PrinterStatus(
        online=s1 is not None and not v1 & 0x08,
        paper_end=bool(v4 & 0x60 or v2 & 0x20),
        paper_near_end=bool(v4 & 0x0C),
        cover_open=bool(v2 & 0x04),
        error=bool(v2 & 0x40),
        unknown=unknown,
        cutter_error=bool(v3 & 0x08),
        unrecoverable_error=bool(v3 & 0x20),
        raw=raw,
    )
