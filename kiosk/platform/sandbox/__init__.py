"""The sandbox platform: a real HTTP server on loopback implementing ``docs/openapi.yaml``.

Used by demo mode (``platform.base_url = "embedded"``), the tests and the fleet benchmark.
Entry points: :func:`kiosk.platform.sandbox.embedded.start_embedded_sandbox`,
:class:`kiosk.platform.sandbox.background.BackgroundSandbox` (``kiosk run``'s demo mode) and
``kiosk sandbox serve``. One router module per resource under ``routes/``; how to add an
endpoint: ``docs/platform.md``.
"""
