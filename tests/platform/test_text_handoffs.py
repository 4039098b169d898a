"""The text hand-off through the real client and sandbox: create → the phone's page and form
(unsigned, escaped, size-limited, GB18030-safe) → the kiosk reads the text; typed errors."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import requests

from kiosk.platform.client import PlatformClient
from kiosk.platform.errors import PlatformRejected, PlatformUnavailable
from kiosk.platform.sandbox.text_handoffs import MAX_BODY_BYTES
from kiosk.services.text_handoff import HandoffQr, TextHandoffService

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _post(url: str, body: bytes) -> requests.Response:
    return requests.post(url, data=body, headers=FORM, timeout=5)


def test_create_submit_read_with_the_client(client: PlatformClient) -> None:
    made = client.create_text_handoff("posting_description", 20, "<script>x</script>保洁")
    assert made.url.endswith(f"/v1/text-handoffs/{made.handoff_id}/page")
    assert (made.max_chars, made.poll_after_ms) == (20, 2000)
    assert client.text_handoff(made.handoff_id).status == "waiting"
    page = requests.get(made.url, timeout=5)                    # the phone: no signature
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "&lt;script&gt;x&lt;/script&gt;保洁" in page.text and "<script>" not in page.text
    assert "accept-charset='utf-8'" in page.text

    empty = _post(made.url, b"text=%20%0D%0A")
    assert empty.status_code == 422 and "请先填写内容再提交" in empty.text
    long = "长" * 21
    refused = _post(made.url, ("text=" + quote(long)).encode())
    assert refused.status_code == 422 and "最多20个字，现在21个字" in refused.text
    assert f">{long}</textarea>" in refused.text                 # nothing typed is lost
    huge = _post(made.url, b"text=" + b"a" * MAX_BODY_BYTES)
    assert huge.status_code == 413
    assert client.text_handoff(made.handoff_id).status == "waiting"

    sent = _post(made.url, b"text=" + quote("包午餐\r\n<b>".encode("gb18030")).encode())
    assert sent.status_code == 200 and "包午餐\n&lt;b&gt;" in sent.text
    state = client.text_handoff(made.handoff_id)
    assert (state.status, state.text) == ("received", "包午餐\n<b>")
    assert state.received_at is not None
    assert requests.get(made.url, timeout=5).text.count("包午餐") == 1   # the received page

    with pytest.raises(PlatformRejected) as lost:
        client.text_handoff("B" * 22)
    assert (lost.value.status, lost.value.code) == (404, "handoff_not_found")
    with pytest.raises(PlatformRejected) as bad:
        client.create_text_handoff("resume", 20)
    assert (bad.value.status, bad.value.code) == (422, "invalid_request")


def test_the_service_on_the_sandbox_and_a_platform_that_does_not_answer(server, client) -> None:
    service = TextHandoffService(lambda: client)
    link = service.start("保洁员（零工）的详细说明")
    assert isinstance(link, HandoffQr) and link.max_chars == 500
    assert service.poll(link).status == "waiting"
    assert _post(link.url, ("text=" + quote("身份证440106199001011234")).encode()).ok
    got = service.poll(link)
    assert (got.status, got.personal, got.masked_text) == (
        "received", ("id_number",), "身份证4401**********1234")
    server.faults.update(down=True)
    try:
        assert service.start().status == "offline"
        with pytest.raises(PlatformUnavailable):
            client.text_handoff(link.handoff_id)
    finally:
        server.faults.update(down=False)
