"""Every user-facing string in the code and .kv files is in the English catalog, translated."""

from __future__ import annotations

from kiosk.services.message_catalog import LOCALE_DIR, extract_messages
from kiosk.services.po_catalog import read_po


def test_every_message_has_an_english_translation():
    messages = extract_messages()
    assert len(messages) > 200
    english = read_po(LOCALE_DIR / "en" / "LC_MESSAGES" / "kiosk.po")
    missing = [m for m in messages if not english.get(m)]
    assert missing == [], "run `python -m kiosk.services.message_catalog` and translate: " + repr(missing[:10])


def test_format_placeholders_survive_translation():
    import re

    english = read_po(LOCALE_DIR / "en" / "LC_MESSAGES" / "kiosk.po")
    field = re.compile(r"\{[^}]*\}")
    for msgid, msgstr in english.items():
        assert sorted(field.findall(msgid)) == sorted(field.findall(msgstr)), msgid


def test_kv_and_python_strings_are_both_extracted():
    messages = extract_messages()
    assert "kiosk/screens/home.kv" in messages["请将身份证放在下方感应区"]
    assert "kiosk/screens/home.py" in messages["找工作"]                 # HOME_TILES (N_)
    assert any(path.endswith(".py") for where in messages.values() for path in where)
