"""The sandbox's text hand-offs: long free text typed on the person's phone (a posting's
详细说明), ``docs/openapi.yaml`` ``createTextHandoff`` … (:mod:`kiosk.platform.handoff_wire`).

A hand-off is bound to the terminal that made it, lives :data:`TTL_S` seconds and takes **one**
text. It is held in memory only (nothing personal is written to disk) and dropped
:data:`KEEP_S` seconds after it expired. The phone's page is plain HTML (no script needed, so
any phone browser works): every text shown is HTML-escaped, the form is sent as UTF-8
(``accept-charset``); a body that is not UTF-8 is read as GB18030 (older phone browsers), and
one that is neither is refused (400). Bodies over :data:`MAX_BODY_BYTES` are refused (413) and a
text over the hand-off's ``max_chars`` is refused with the typed text given back in the form,
so nothing typed is lost.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from kiosk.domain.free_text import tidy
from kiosk.platform.handoff_wire import TextHandoffRequest
from kiosk.platform.wire_formats import iso

TTL_S = 900
KEEP_S = 600
POLL_AFTER_MS = 2000
MAX_BODY_BYTES = 64 * 1024
PAGE_PATH = "/v1/text-handoffs/{handoff_id}/page"

#: Problem answers: (HTTP status, problem code, detail).
Problem = tuple[int, str, str]


@dataclass
class _Handoff:
    terminal_id: str
    purpose: str
    max_chars: int
    prompt: str
    expires_at: datetime
    text: str | None = None
    received_at: datetime | None = None

    def status(self, now: datetime) -> str:
        if self.text is not None:
            return "received"
        return "expired" if now >= self.expires_at else "waiting"


class FormError(ValueError):
    """The phone's form body cannot be read: ``status`` 400 (not UTF-8 / GB18030, fields
    wrong) or 413 (over :data:`MAX_BODY_BYTES`)."""

    def __init__(self, status: int, message_zh: str) -> None:
        super().__init__(message_zh)
        self.status, self.message_zh = status, message_zh


def read_form(body: bytes) -> str:
    """The ``text`` field of an ``application/x-www-form-urlencoded`` body, tidied
    (:func:`kiosk.domain.free_text.tidy`). UTF-8, else GB18030; only the field ``text``.

    Raises:
        FormError: over the size limit, undecodable, another field, or ``text`` missing/twice.
    """
    if len(body) > MAX_BODY_BYTES:
        raise FormError(413, "内容太长，请删减后再提交")
    fields: dict[bytes, list[bytes]] = {}
    for pair in body.split(b"&"):
        if pair:
            name, _, value = pair.partition(b"=")
            fields.setdefault(unquote_to_bytes(name.replace(b"+", b" ")), []).append(
                unquote_to_bytes(value.replace(b"+", b" ")))
    if set(fields) - {b"text"} or len(fields.get(b"text", [])) != 1:
        raise FormError(400, "提交的内容不完整，请重新打开二维码页面")
    raw = fields[b"text"][0]
    for encoding in ("utf-8", "gb18030"):
        try:
            return tidy(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise FormError(400, "无法识别提交的文字编码，请换一个浏览器再试")


class TextHandoffs:
    """Hand-offs in memory (see the module docstring); ``clock`` is what tests set."""

    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._items: dict[str, _Handoff] = {}

    def create(self, terminal_id: str, req: TextHandoffRequest, origin: str) -> dict[str, Any]:
        """A new hand-off → the ``TextHandoff`` reply (``url`` under ``origin``)."""
        now = self.clock()
        handoff_id = secrets.token_urlsafe(16)
        with self._lock:
            self._purge(now)
            self._items[handoff_id] = _Handoff(terminal_id, req.purpose, req.max_chars,
                                               req.prompt.strip(), now + timedelta(seconds=TTL_S))
        return {"handoff_id": handoff_id,
                "url": origin.rstrip("/") + PAGE_PATH.format(handoff_id=handoff_id),
                "expires_at": iso(now + timedelta(seconds=TTL_S)), "max_chars": req.max_chars,
                "poll_after_ms": POLL_AFTER_MS}

    def state(self, handoff_id: str, terminal_id: str) -> dict[str, Any] | Problem:
        """The ``TextHandoffState`` for the terminal that made it (404 otherwise)."""
        now = self.clock()
        with self._lock:
            found = self._items.get(handoff_id)
            if found is None or found.terminal_id != terminal_id:
                return (404, "handoff_not_found", "no such text hand-off for this terminal")
            return {"handoff_id": handoff_id, "status": found.status(now),
                    "expires_at": iso(found.expires_at), "text": found.text,
                    "received_at": iso(found.received_at) if found.received_at else None}

    # --- the phone's page --------------------------------------------------------------------
    def page(self, handoff_id: str) -> tuple[int, str]:
        """(status, HTML) of the phone's form."""
        now = self.clock()
        with self._lock:
            found = self._items.get(handoff_id)
            status = found.status(now) if found else "unknown"
        if found is None or status == "expired":
            return 404, render_gone()
        if status == "received":
            return 200, render_received(found.text or "")
        return 200, render_form(handoff_id, found.prompt, found.max_chars)

    def submit(self, handoff_id: str, body: bytes) -> tuple[int, str]:
        """The phone submitted the form → (status, HTML): 200 received, 404 unknown/expired,
        409 already received, 400/413 unreadable body, 422 empty or over ``max_chars``."""
        now = self.clock()
        with self._lock:
            found = self._items.get(handoff_id)
            if found is None or found.status(now) == "expired":
                return 404, render_gone()
            if found.text is not None:
                return 409, render_received(found.text, "已经提交过了，请到驿站终端屏幕上确认。")
            try:
                text = read_form(body)
            except FormError as exc:
                return exc.status, render_form(handoff_id, found.prompt, found.max_chars,
                                               message=exc.message_zh)
            if not text:
                return 422, render_form(handoff_id, found.prompt, found.max_chars,
                                        message="请先填写内容再提交")
            if len(text) > found.max_chars:
                return 422, render_form(handoff_id, found.prompt, found.max_chars, text,
                                        f"最多{found.max_chars}个字，现在{len(text)}个字，请删减后再提交")
            found.text, found.received_at = text, now
        return 200, render_received(text)

    def _purge(self, now: datetime) -> None:
        horizon = now - timedelta(seconds=KEEP_S)
        for key in [k for k, h in self._items.items() if h.expires_at < horizon]:
            del self._items[key]


_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>填写详细说明</title>
<style>body{{font-family:sans-serif;max-width:36em;margin:1em auto;padding:0 1em;font-size:18px}}
textarea{{width:100%;box-sizing:border-box;font-size:18px;min-height:12em}}
button{{font-size:20px;padding:.6em 1.2em;margin-top:.6em}}.message{{color:#b00020;font-weight:bold}}
pre{{white-space:pre-wrap;background:#f4f4f4;padding:.6em}}</style></head>
<body><h1>就业驿站 · 填写详细说明<br><small>Type the details on your phone</small></h1>
{content}
<p><small>公共就业服务 · 请勿填写身份证号码等个人信息 · 如有疑问请拨打 12333</small></p></body></html>"""


def render_form(handoff_id: str, prompt: str, max_chars: int, text: str = "",
                message: str = "") -> str:
    """The form (``text`` typed so far given back after a refusal; every text escaped)."""
    action = escape(PAGE_PATH.format(handoff_id=quote(handoff_id, safe="")))
    parts = [f"<p class='message'>{escape(message)}</p>" if message else "",
             f"<p>{escape(prompt)}</p>" if prompt else "",
             f"<form method='post' action='{action}' accept-charset='utf-8'>",
             f"<p><label for='text'>详细说明（最多{max_chars}个字）</label></p>",
             f"<textarea id='text' name='text' maxlength='{max_chars}' required>"
             f"{escape(text)}</textarea>",
             "<p><button type='submit'>提交到驿站终端 Send to the kiosk</button></p></form>",
             "<p>提交后请回到驿站终端，在屏幕上确认内容。</p>"]
    return _PAGE.format(content="".join(parts))


def render_received(text: str, message: str = "已收到，请回到驿站终端屏幕上确认。") -> str:
    """The page after the text arrived (shows what was received, escaped)."""
    return _PAGE.format(content=f"<p class='done'><b>{escape(message)}</b><br>"
                                f"Received — please confirm it on the kiosk screen.</p>"
                                f"<pre>{escape(text)}</pre>")


def render_gone() -> str:
    """The page for an unknown or expired link (the same for both: reveals nothing)."""
    return _PAGE.format(content="<p class='message'>链接已过期或无效。请在驿站终端上重新生成二维码。"
                                "<br>This link has expired or is not valid.</p>")


__all__ = ["FormError", "MAX_BODY_BYTES", "PAGE_PATH", "TTL_S", "TextHandoffs", "read_form",
           "render_form", "render_gone", "render_received"]
