"""Build the configured connector and paper profile from the ``[printer]`` settings."""

from __future__ import annotations

from pathlib import Path

from kiosk.devices.printer.connectors import (Connector, FileConnector, NetworkConnector,
                                              SerialConnector, UsbConnector)
from kiosk.devices.printer.preview import PreviewConnector
from kiosk.devices.printer.profile import PaperProfile, paper_profile
from kiosk.settings import ConfigError, PrinterSettings


def profile_from_settings(cfg: PrinterSettings) -> PaperProfile:
    """The paper profile for ``[printer] paper/columns/cutter/qr``.

    Raises:
        ConfigError: a column count the paper cannot hold (e.g. 48 on 58 mm).
    """
    try:
        return paper_profile(cfg.paper, cfg.columns, cutter=cfg.cutter, qr=cfg.qr)
    except ValueError as exc:
        raise ConfigError("printer.columns", str(exc)) from exc


def build_connector(cfg: PrinterSettings, profile: PaperProfile, preview_dir: Path) -> Connector:
    """The connector named by ``[printer] connector``.

    Args:
        cfg: the printer settings.
        profile: used by the preview connector's PNG.
        preview_dir: folder for preview output when ``preview_dir`` is "" in the settings
            (the caller passes ``<data_dir>/slips``).
    """
    if cfg.connector == "usb":
        return UsbConnector(cfg.usb_vendor_id, cfg.usb_product_id, cfg.usb_in_ep, cfg.usb_out_ep,
                            cfg.usb_timeout_ms)
    if cfg.connector == "serial":
        return SerialConnector(cfg.serial_port, cfg.serial_baudrate, cfg.job_timeout_s)
    if cfg.connector == "network":
        return NetworkConnector(cfg.host, cfg.tcp_port, cfg.job_timeout_s)
    if cfg.connector == "file":
        return FileConnector(cfg.file_path)
    return PreviewConnector(Path(cfg.preview_dir) if cfg.preview_dir else preview_dir, profile)
