"""The prompt table: step prompts at import, the 兴趣探索 statements added on first use."""

from __future__ import annotations

from kiosk.services.interests import bundled_interest_set
from kiosk.services.voice_prompts import PROMPTS, VoicePrompter


def test_every_interest_statement_has_its_prompt_beside_the_step_prompts():
    items = bundled_interest_set().items
    first = items[0]
    assert PROMPTS[f"interest_{first.id}"] == (f"{first.zh}。您喜欢吗？",
                                               f"{first.en}. Do you like it?")
    assert "home" in PROMPTS and "goodbye" in PROMPTS
    keys = list(PROMPTS)
    assert len(keys) == len(PROMPTS) == len(set(keys))
    assert {f"interest_{item.id}" for item in items} <= set(keys)


def test_the_prompter_accepts_an_interest_prompt_and_refuses_an_unknown_key():
    prompter = VoicePrompter(enabled=False)
    item = bundled_interest_set().items[-1]
    assert prompter.say(f"interest_{item.id}") is False     # known; voice off: not played
    assert prompter.last_key == f"interest_{item.id}"
    try:
        prompter.say("interest_no_such_item")
    except KeyError as exc:
        assert "interest_no_such_item" in str(exc)
    else:
        raise AssertionError("an unknown prompt key must raise KeyError")
