"""The platform's reply as kept in the receipt row: plain JSON, with personal data removed.

The client returns typed results (``RegistrationResult``, ``ReferralResult``,
``AssistanceTicket``: dataclasses) or dicts. What the kiosk needs afterwards is the platform's
numbers (``registration_no``, ``referral_id``, ``verify_url``, ``ticket_no``, ``status``), never
who the person is, so keys naming personal data are dropped and any ID number or phone number
left inside a string is masked (:func:`kiosk.domain.masking.mask_text`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kiosk.domain.masking import mask_text

#: Keys whose values are personal data (PIPL Art. 28 sensitive data included); dropped anywhere.
PERSONAL_KEYS = frozenset({
    "name", "full_name", "id_number", "id_no", "phone", "mobile", "telephone", "address",
    "birth_date", "date_of_birth", "gender", "sex", "ethnicity", "photo", "email",
    "issuing_authority", "card", "identity", "jobseeker", "masked_name",
})


def public_result(result: Any) -> dict[str, Any]:
    """A JSON-ready dict of ``result`` without personal data.

    Accepts a dataclass instance, a mapping, an object with ``model_dump()`` / ``_asdict()``,
    or None (→ ``{}``). Nested values are cleaned the same way; other objects become ``str``.
    """
    if result is None:
        return {}
    value = _plain(result)
    if not isinstance(value, dict):
        return {"value": value}
    return value


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    elif hasattr(value, "model_dump"):
        value = value.model_dump()
    elif hasattr(value, "_asdict"):
        value = value._asdict()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if str(k).lower() not in PERSONAL_KEYS}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return mask_text(str(value))


__all__ = ["public_result", "PERSONAL_KEYS"]
