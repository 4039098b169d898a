"""The wire models' bases (kiosk.platform.wire_base): validators built on first use, not at
import (issue 23: start-up), and that first use safe from several threads at once."""

from __future__ import annotations

import threading

import pytest
from pydantic import ValidationError

from kiosk.platform.wire_base import WireRequest, WireResponse


def test_a_wire_model_is_built_on_first_use_and_keeps_its_rules():
    class Reply(WireResponse):
        status: str
        count: int = 0

    class Body(WireRequest):
        code: str

    assert not Reply.__pydantic_complete__ and not Body.__pydantic_complete__
    reply = Reply.model_validate({"status": "ok", "count": "3", "added_later": 1})
    assert (reply.status, reply.count) == ("ok", 3)        # extra field ignored
    assert Reply.__pydantic_complete__
    with pytest.raises(ValidationError) as refused:
        Body.model_validate({"code": "A1", "typo": 1})      # extra field refused
    assert refused.value.errors()[0]["type"] == "extra_forbidden"
    with pytest.raises(ValidationError):
        reply.status = "changed"                             # frozen


def test_first_use_from_eight_threads_at_once_validates_every_one():
    class Checkin(WireRequest):
        fair_id: str
        seat: int

    assert not Checkin.__pydantic_complete__
    start = threading.Barrier(8)
    results: dict[int, object] = {}

    def validate(i: int) -> None:
        start.wait()
        try:
            payload = {"fair_id": f"F{i}", "seat": i} if i % 2 else {"fair_id": "F", "x": i}
            results[i] = Checkin.model_validate(payload).seat
        except ValidationError as exc:
            results[i] = [e["type"] for e in exc.errors()]

    threads = [threading.Thread(target=validate, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {i: (i if i % 2 else ["missing", "extra_forbidden"]) for i in range(8)}


def test_every_platform_wire_model_builds():
    """Deferred builds fail late: build every model of the contract here instead."""
    import kiosk.platform.eid_wire
    import kiosk.platform.fair_wire
    import kiosk.platform.guidance_wire
    import kiosk.platform.handoff_wire
    import kiosk.platform.models
    import kiosk.platform.submissions

    built = 0
    for module in (kiosk.platform.models, kiosk.platform.submissions, kiosk.platform.fair_wire,
                   kiosk.platform.guidance_wire, kiosk.platform.handoff_wire,
                   kiosk.platform.eid_wire):
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, WireRequest | WireResponse)
                    and value.__module__ == module.__name__):
                assert value.model_rebuild() is not False, value.__name__
                assert value.__pydantic_complete__, value.__name__
                built += 1
    assert built >= 80          # 89 on 2026-12-02
