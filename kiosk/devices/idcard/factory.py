"""Build the configured reader from the ``[card_reader]`` settings section (used by bootstrap).

``port = "simulator"`` starts an in-process :class:`CardSimulator` serving ``demo_card`` and
points the reader at its pty; the simulator is reachable as ``reader.simulator`` (demo mode
places and removes cards through it) and is stopped by ``reader.close()``.
"""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.domain.identity_card import CardDataError  # a demo card file's JSON
from kiosk.devices.idcard.reader import CardReader, PhotoDecoder, ReaderConfig
from kiosk.devices.idcard.simulator import CardSimulator
from kiosk.settings import PROJECT_ROOT, CardReaderSettings, ConfigError

SIMULATOR_PORT = "simulator"


def reader_config(section: CardReaderSettings, url: str | None = None) -> ReaderConfig:
    """Milliseconds of the settings → seconds of :class:`ReaderConfig`."""
    return ReaderConfig(url=url or section.port, baudrate=section.baudrate,
                        command_timeout_s=section.command_timeout_ms / 1000,
                        inter_byte_timeout_s=section.inter_byte_timeout_ms / 1000,
                        poll_interval_s=section.poll_interval_ms / 1000)


def start_demo_simulator(section: CardReaderSettings, *, pace: bool = True) -> CardSimulator:
    """A started simulator holding ``section.demo_card`` (path relative to the project root).

    Raises:
        ConfigError: the demo card file is missing, not JSON, or not a valid card
            (``option`` = "card_reader.demo_card").
    """
    path = section.demo_card
    full = Path(path).expanduser()
    full = full if full.is_absolute() else PROJECT_ROOT / full
    try:
        text = full.read_text("utf-8")
        card = json.loads(text)
        return CardSimulator(card, baudrate=section.baudrate, pace=pace).start()
    except OSError as exc:
        raise ConfigError("card_reader.demo_card", f"cannot read {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError("card_reader.demo_card", f"{path} is not JSON: {exc.msg}") from exc
    except CardDataError as exc:
        raise ConfigError("card_reader.demo_card", f"{path}: {exc}") from exc


def open_reader(section: CardReaderSettings, *, photo_decoder: PhotoDecoder | None = None,
                start: bool = False) -> CardReader:
    """The reader for ``section`` (not started unless ``start``; nothing is opened before that).

    Raises ConfigError when ``port`` is "simulator" and the demo card cannot be loaded.
    """
    if section.port == SIMULATOR_PORT:
        simulator = start_demo_simulator(section)
        reader = CardReader(reader_config(section, simulator.port), photo_decoder=photo_decoder,
                            on_close=(simulator.close,))
        reader.simulator = simulator
    else:
        reader = CardReader(reader_config(section), photo_decoder=photo_decoder)
    if start:
        reader.start()
    return reader


build_reader = open_reader
