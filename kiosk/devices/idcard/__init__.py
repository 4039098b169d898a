"""China 2nd-generation ID-card reader (GA 467 SAM over a serial port) and its simulator.

Public API (see each module's docstring):

* :func:`open_reader` (``factory``) — the configured :class:`CardReader` ("simulator" included);
* :class:`CardReader`, :class:`ReaderState`, :class:`ListenerBase`, :class:`SamInfo` (``reader``);
* :class:`IdentityCard`, :class:`CardType`, ``LONG_TERM`` (``model``);
* :class:`CardSimulator` (``simulator``);
* errors: :class:`CardReaderError` and its leaves (``errors``).

Source: ``shared/design/idcard-protocol.md``.

The names are imported on first use (PEP 562): importing one submodule, e.g. ``base`` for
the journey engine, does not load the reader, its serial transport and the simulator before
the home screen is drawn (issue 23).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name → the submodule that defines it
_EXPORTS = {
    **dict.fromkeys(("CardDataError", "CardReaderError", "ChecksumError", "FrameError",
                     "FrameLengthError", "PayloadError", "PhotoDecodeError", "ReaderBusy",
                     "ReaderTimeout", "ReaderUnavailable", "SamError", "TruncatedFrameError"),
                    "kiosk.devices.idcard.errors"),
    **dict.fromkeys(("build_reader", "open_reader"), "kiosk.devices.idcard.factory"),
    **dict.fromkeys(("LONG_TERM", "CardType", "IdentityCard"), "kiosk.domain.identity_card"),
    **dict.fromkeys(("CardReader", "CardReaderListener", "ListenerBase", "ReaderConfig",
                     "ReaderState", "SamInfo"), "kiosk.devices.idcard.reader"),
    "CardSimulator": "kiosk.devices.idcard.simulator",
}

__all__ = [
    "CardDataError", "CardReader", "CardReaderError", "CardReaderListener", "CardSimulator",
    "CardType", "ChecksumError", "FrameError", "FrameLengthError", "IdentityCard", "LONG_TERM",
    "ListenerBase", "PayloadError", "PhotoDecodeError", "ReaderBusy", "ReaderConfig",
    "ReaderState", "ReaderTimeout", "ReaderUnavailable", "SamError", "SamInfo",
    "TruncatedFrameError", "build_reader", "open_reader",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from kiosk.devices.idcard.errors import (CardDataError, CardReaderError, ChecksumError,
                                             FrameError, FrameLengthError, PayloadError,
                                             PhotoDecodeError, ReaderBusy, ReaderTimeout,
                                             ReaderUnavailable, SamError, TruncatedFrameError)
    from kiosk.devices.idcard.factory import build_reader, open_reader
    from kiosk.devices.idcard.reader import (CardReader, CardReaderListener, ListenerBase,
                                             ReaderConfig, ReaderState, SamInfo)
    from kiosk.devices.idcard.simulator import CardSimulator
    from kiosk.domain.identity_card import LONG_TERM, CardType, IdentityCard
