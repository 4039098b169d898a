"""``N_("中文")`` marks a message id for extraction without translating it where it is
defined (tables built at import time, before the language is known). The text is translated
where it is shown, with ``kiosk.ui.i18n._``. ``python -m kiosk.services.message_catalog``
extracts ``N_`` calls as it does ``_`` calls."""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802 - the gettext convention
    """Return ``text`` unchanged (a marker for the message extractor)."""
    return text
