"""AIM symbology identifiers (ISO/IEC 15424): the ``]cm`` prefix a scanner may send.

A symbology identifier is the flag character ``]`` (0x5D), a *code character* naming the
symbology, and a *modifier* character whose meaning depends on the symbology (check digit,
FNC1 position, ECI …). ``]Y`` (system expansion) is followed by a digit n and n more modifier
characters. The identifier is not part of the barcode: the decoder adds it when the scanner is
configured to ("AIM ID" on NLS/Honeywell/Datalogic engines). Examples: ``]Q1`` QR Code (model
2, ISO/IEC 18004 §6.4.10), ``]E0`` EAN-13, ``]C0`` Code 128, ``]C1`` GS1-128 (FNC1 first),
``]d1`` Data Matrix, ``]L0`` PDF417.

:data:`CODE_CHARACTERS` is Table 1 of ISO/IEC 15424:2008, plus the characters the later
symbology standards assign: ``h`` Han Xin Code (ISO/IEC 20830; GB/T 21049 in China), ``g``
Grid Matrix (GB/T 27766) and ``J`` DotCode (AIM ISS DotCode).

:func:`split_symbology` applies ``[scanner] aim_prefix``:

* ``"auto"`` (default) — strip a well-formed identifier with a known code character; text that
  does not start with one is delivered whole (no codes this kiosk issues begin with ``]``);
* ``"on"``  — the scanner is set to send identifiers: a frame without one is an error;
* ``"off"`` — never strip (a leading ``]`` stays part of the text).
"""

from __future__ import annotations

import enum

from kiosk.devices.scanner.errors import SymbologyIdentifierError

FLAG = "]"

CODE_CHARACTERS: dict[str, str] = {
    "A": "Code 39", "B": "Telepen", "C": "Code 128", "D": "Code One", "E": "EAN/UPC",
    "F": "Codabar", "G": "Code 93", "H": "Code 11", "I": "Interleaved 2 of 5", "J": "DotCode",
    "K": "Code 16K", "L": "PDF417", "M": "MSI", "N": "Anker", "O": "Codablock",
    "P": "Plessey", "Q": "QR Code", "R": "Straight 2 of 5 (2-bar start/stop)",
    "S": "Straight 2 of 5 (3-bar start/stop)", "T": "Code 49", "U": "MaxiCode",
    "X": "other barcode", "Y": "system expansion", "Z": "non-barcode", "c": "Channel Code",
    "d": "Data Matrix", "e": "GS1 DataBar / composite", "g": "Grid Matrix", "h": "Han Xin Code",
    "o": "OCR", "p": "PosiCode", "s": "SuperCode", "z": "Aztec Code",
}


class AimMode(enum.StrEnum):
    """``[scanner] aim_prefix``: whether frames carry an AIM symbology identifier."""

    AUTO = "auto"
    ON = "on"
    OFF = "off"


def _is_modifier(char: str) -> bool:
    return char.isascii() and char.isalnum()


def identifier_length(text: str) -> int:
    """Length of the well-formed identifier at the start of ``text`` (3 for ``]Q1``; 4+n for
    ``]Yn…``), or 0 when ``text`` does not start with one."""
    if len(text) < 3 or text[0] != FLAG or text[1] not in CODE_CHARACTERS:
        return 0
    if text[1] == "Y":
        if not text[2].isdigit():
            return 0
        size = 3 + int(text[2])
        extra = text[3:size]
        return size if len(extra) == size - 3 and all(map(_is_modifier, extra)) else 0
    return 3 if _is_modifier(text[2]) else 0


def split_symbology(text: str, mode: AimMode, length: int = 0) -> tuple[str | None, str]:
    """``(identifier or None, data)`` for a decoded frame under ``mode``.

    Args:
        text: the frame as text (suffix already removed).
        mode: the ``aim_prefix`` setting.
        length: byte length of the frame, for the error only.

    Raises:
        SymbologyIdentifierError: ``mode`` is ON and there is no valid identifier, or an
            identifier (any mode but OFF) is followed by no data.
    """
    if mode is AimMode.OFF:
        return None, text
    size = identifier_length(text)
    if size == 0:
        if mode is AimMode.ON:
            found = ("']' without a known code character and modifier" if text.startswith(FLAG)
                     else "no ']' flag")
            raise SymbologyIdentifierError(
                f"expected an AIM symbology identifier (ISO/IEC 15424): {found}", length)
        return None, text
    if size == len(text):
        raise SymbologyIdentifierError(f"no data after the identifier {text}", length)
    return text[:size], text[size:]


def symbology_name(identifier: str) -> str:
    """"QR Code" for "]Q1"; "unknown" for a code character outside :data:`CODE_CHARACTERS`."""
    return CODE_CHARACTERS.get(identifier[1:2], "unknown")


def check_identifier(identifier: str) -> str:
    """``identifier`` if it is a complete, well-formed AIM identifier (e.g. "]Q1"), for the
    simulator and the CLI. Raises ValueError otherwise."""
    if not identifier or identifier_length(identifier) != len(identifier):
        known = "".join(CODE_CHARACTERS)
        raise ValueError(f"not an AIM symbology identifier: {identifier!r} (']' + one of {known} "
                         "+ a modifier, e.g. ']Q1')")
    return identifier
