"""Self-service kiosk for Guangdong public employment stations (就业驿站自助服务终端)."""

__version__ = "0.1.0"
