"""The referral verification page an employer opens by scanning the slip's QR code.

``GET /verify/{referral_id}?t=<verify token>`` shows validity, the vacancy and the masked
jobseeker (name masked, ID number as first 4 + last 4, which the employer compares with the card
the person shows), or "尚未收到 / not yet received" for an id the platform has not received (an
offline referral still in the kiosk's outbox). ``POST /verify/{referral_id}/confirm?t=<token>``
(form field ``hired`` = "yes" or "no") records that the interview took place: the follow-up loop
of public employment service. The pages carry no personal data beyond the masked forms and are
not cached.

The token (:func:`kiosk.platform.signing.verify_token`, 128 bits from the terminal's secret)
is what makes the URL unguessable: referral ids are sequential. Without the right token every
id, received or not, gets the same 404 "link not valid" page, so ids cannot be enumerated.
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, quote

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kiosk.domain.vacancy import Vacancy
from kiosk.platform.sandbox.casework import ReferralView
from kiosk.platform.sandbox.context import SandboxContext
from kiosk.platform.signing import verify_token

STATUS_TEXT = {
    "issued": "有效 / Valid",
    "confirmed": "已确认面试 / Interview confirmed",
    "expired": "已过期 / Expired",
}
_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>推荐信核验 Referral verification</title>
<style>body{{font-family:sans-serif;max-width:36em;margin:1em auto;padding:0 1em;font-size:18px}}
dt{{color:#555}}dd{{margin:0 0 .6em 0;font-weight:bold}}button{{font-size:20px;padding:.5em 1em}}
.status-{status}{{font-size:24px}}</style></head>
<body><h1>就业推荐信核验<br><small>Referral verification</small></h1>
{content}
<p><small>公共就业服务 · 如有疑问请拨打 12333</small></p></body></html>"""


def render_unknown(referral_id: str) -> str:
    """The page for an id the platform has not received yet."""
    content = (f"<p class='status-unknown'>推荐编号 <b>{escape(referral_id)}</b>："
               "尚未收到 / not yet received.</p>"
               "<p>该推荐信可能仍在驿站终端等待上传，请稍后再试。<br>"
               "The kiosk may still be uploading this referral; please try again later.</p>")
    return _PAGE.format(status="unknown", content=content)


def render_invalid() -> str:
    """The page for a link whose token does not match (or has none): reveals nothing."""
    content = ("<p class='status-invalid'>链接无效 / This verification link is not valid.</p>"
               "<p>请扫描推荐单上的二维码打开本页。<br>"
               "Please open this page by scanning the QR code on the referral slip.</p>")
    return _PAGE.format(status="invalid", content=content)


def render_referral(view: ReferralView, vacancy: Vacancy | None, message: str = "",
                    token: str = "") -> str:
    """The page for a received referral (masked jobseeker, vacancy, validity, confirm form)."""
    title = f"{vacancy.title} · {vacancy.employer}" if vacancy else f"岗位 {view.vacancy_id}（已下架）"
    rows = [
        ("推荐编号 Referral", view.referral_id),
        ("状态 Status", STATUS_TEXT.get(view.status, view.status)),
        ("有效期至 Valid until", view.valid_until[:10]),
        ("岗位 Vacancy", title),
        ("求职者 Jobseeker", view.masked_name),
        ("证件号码 ID number", view.masked_id),
        ("开具时间 Issued", view.issued_at[:16].replace("T", " ") + " UTC"),
    ]
    if view.confirmed_at:
        outcome = "" if view.hired is None else ("已录用 / hired" if view.hired else "未录用 / not hired")
        rows.append(("确认时间 Confirmed", view.confirmed_at[:16].replace("T", " ") + " UTC"))
        rows.append(("结果 Outcome", outcome))
    body = "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows) + "</dl>"
    if message:
        body = f"<p><b>{escape(message)}</b></p>" + body
    if view.status == "issued":
        action = escape(f"/verify/{quote(view.referral_id, safe='')}/confirm?t={quote(token)}")
        body += (f"<form method='post' action='{action}'>"
                 "<p>请核对求职者证件后确认面试已进行 / Check the jobseeker's ID card, then confirm "
                 "that the interview took place:</p>"
                 "<p><label><input type='radio' name='hired' value='yes'> 已录用 hired</label> "
                 "<label><input type='radio' name='hired' value='no' checked> 未录用 / 待定 not "
                 "hired / pending</label></p>"
                 "<button type='submit'>确认已面试 Confirm interview took place</button></form>")
    return _PAGE.format(status=escape(view.status), content=body)


def terminal_of(referral_id: str) -> str:
    """The terminal id a referral id starts with (``<terminal>-<YYYYMMDD>-<seq>``)."""
    parts = referral_id.rsplit("-", 2)
    return parts[0] if len(parts) == 3 else ""


def router(ctx: SandboxContext) -> APIRouter:
    store, casework = ctx.store, ctx.casework
    router = APIRouter()
    headers = {"Cache-Control": "no-store"}

    def token_ok(referral_id: str, token: str) -> bool:
        secret = store.secret_for(terminal_of(referral_id)) if len(referral_id) <= 64 else None
        return bool(secret and token) and hmac.compare_digest(
            verify_token(secret or b"", referral_id).encode(), token.encode())

    def invalid() -> HTMLResponse:
        return HTMLResponse(render_invalid(), status_code=404, headers=headers)

    @router.get("/verify/{referral_id}", response_class=HTMLResponse)
    async def verify_page(referral_id: str, t: str = "") -> HTMLResponse:
        if not token_ok(referral_id, t):
            return invalid()
        view = casework.referral(referral_id)
        if view is None:
            return HTMLResponse(render_unknown(referral_id), status_code=404, headers=headers)
        return HTMLResponse(render_referral(view, store.vacancy(view.vacancy_id), token=t),
                            headers=headers)

    @router.post("/verify/{referral_id}/confirm", response_class=HTMLResponse)
    async def confirm(referral_id: str, request: Request, t: str = "") -> HTMLResponse:
        if not token_ok(referral_id, t):
            return invalid()
        form = parse_qs((await request.body())[:4096].decode("utf-8", "replace"))
        hired = form.get("hired", ["no"])[0] == "yes"
        current = casework.referral(referral_id)
        if current is None:
            return HTMLResponse(render_unknown(referral_id), status_code=404, headers=headers)
        if current.status == "expired":
            return HTMLResponse(render_referral(current, store.vacancy(current.vacancy_id),
                                                "推荐信已过期，无法确认 / Expired, not recorded"),
                                status_code=409, headers=headers)
        view = casework.confirm_referral(referral_id, hired) or current
        return HTMLResponse(render_referral(view, store.vacancy(view.vacancy_id),
                                            "已记录，感谢配合 / Recorded, thank you"),
                            headers=headers)

    return router
