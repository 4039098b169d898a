"""China 2nd-generation ID-card reader (GA 467 SAM over a serial port) and its simulator.

Public API (see each module's docstring):

* :func:`open_reader` (``factory``) — the configured :class:`CardReader` ("simulator" included);
* :class:`CardReader`, :class:`ReaderState`, :class:`ListenerBase`, :class:`SamInfo` (``reader``);
* :class:`IdentityCard`, :class:`CardType`, ``LONG_TERM`` (``model``);
* :class:`CardSimulator` (``simulator``);
* errors: :class:`CardReaderError` and its leaves (``errors``).

Source: ``shared/design/idcard-protocol.md``.
"""

from kiosk.devices.idcard.errors import (CardDataError, CardReaderError, ChecksumError,
                                         FrameError, FrameLengthError, PayloadError,
                                         PhotoDecodeError, ReaderBusy, ReaderTimeout,
                                         ReaderUnavailable, SamError, TruncatedFrameError)
from kiosk.devices.idcard.factory import build_reader, open_reader
from kiosk.domain.identity_card import LONG_TERM, CardType, IdentityCard
from kiosk.devices.idcard.reader import (CardReader, CardReaderListener, ListenerBase,
                                         ReaderConfig, ReaderState, SamInfo)
from kiosk.devices.idcard.simulator import CardSimulator

__all__ = [
    "CardDataError", "CardReader", "CardReaderError", "CardReaderListener", "CardSimulator",
    "CardType", "ChecksumError", "FrameError", "FrameLengthError", "IdentityCard", "LONG_TERM",
    "ListenerBase", "PayloadError", "PhotoDecodeError", "ReaderBusy", "ReaderConfig",
    "ReaderState", "ReaderTimeout", "ReaderUnavailable", "SamError", "SamInfo",
    "TruncatedFrameError", "build_reader", "open_reader",
]
