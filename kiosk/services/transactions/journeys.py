"""Per-transaction records from the journey engine (issue 21): the engine's observer.

A journey that writes a record (``JourneySpec.records``) is one transaction:

* **started** when it begins (kind = its first record kind: ``registration``, ``referral``,
  ``assistance``, refined by a ``kind`` chosen in it: ``assistance:subsidy_application``;
  language and 长辈模式 as they are then);
* **step reached** at every step entered (N = the step's position in the declaration, 1-based);
* **completed** by one of its ``completes_on`` events (``submitted``, ``created``): the
  event's ``outcome`` / ``ticket`` gives the platform number (registration no., ticket no.)
  when already delivered, else the outbox item (by ``item_id`` or the receipt number) the
  好差评 rating waits for;
* **abandoned** at the last step reached when the session ends first (完成 before submitting,
  the idle timeout, a refused consent).

Nothing personal is read: only the journey's name, step names and the outcome's numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from kiosk.services.transactions.models import KIND_RE
from kiosk.services.transactions.recorder import TransactionLog

logger = logging.getLogger(__name__)


class JourneyTransactions:
    """A ``JourneyObserver`` (``kiosk.services.journeys.engine``) writing a
    :class:`TransactionLog`; also a session end listener (abandoned transactions).

    Args:
        log: the records. session: the ``SessionService`` (its ``elderly`` flag; the end
            listener is added here). language: the UI language now (``zh_CN``/``en``; the app
            sets it to ``kiosk.ui.i18n.current_language``).
        outbox: resolves a receipt number to its item (``Outbox.item_id_for_receipt``).
    """

    def __init__(self, log: TransactionLog, session: Any, *,
                 language: Callable[[], str] = lambda: "zh_CN", outbox: Any = None) -> None:
        self.log = log
        self.session = session
        self.language = language
        self.outbox = outbox
        self._open: dict[str, int] = {}          # journey name -> open transaction id
        self._kinds: dict[str, str] = {}         # journey name -> kind chosen in it
        self.last_completed: int | None = None   # for the rating screen: the transaction to rate
        session.add_end_listener(self.session_ended)

    # -- JourneyObserver ----------------------------------------------------------------------

    def began(self, journey: Any, spec: Any) -> None:
        if not spec.records or spec.name in self._open:
            return
        kind = str(getattr(spec.records[0], "value", spec.records[0]))
        self._open[spec.name] = self.log.started(kind, language=self._language(),
                                                 elderly=bool(getattr(self.session, "elderly",
                                                                      False)))

    def entered(self, journey: Any, spec: Any, step: Any) -> None:
        txn = self._open.get(spec.name)
        if txn is None:
            return
        names = [s.name for s in spec.steps]
        if step.name in names:
            self.log.step(txn, names.index(step.name) + 1, step.name)

    def handled(self, journey: Any, spec: Any, event: str, values: Mapping[str, Any]) -> None:
        chosen = values.get("kind")
        if spec.name in self._open and isinstance(chosen, str) and KIND_RE.fullmatch(chosen):
            self._kinds[spec.name] = chosen          # e.g. 就业帮办 → subsidy_application
        if event not in getattr(spec, "completes_on", ()):
            return
        txn = self._open.pop(spec.name, None)
        if txn is None:
            return
        base = str(getattr(spec.records[0], "value", spec.records[0]))
        sub = self._kinds.pop(spec.name, None)
        done = values.get("outcome", values.get("ticket"))
        number, item_id = self._numbers(done)
        self.log.finished(txn, "completed", language=self._language(),
                          elderly=bool(getattr(self.session, "elderly", False)),
                          outbox_item_id=item_id, transaction_no=number,
                          kind=f"{base}:{sub}" if sub else None)
        self.last_completed = txn

    # -- session end --------------------------------------------------------------------------

    def session_ended(self, reason: str) -> None:
        """Every transaction still open is abandoned at its last step (never raises)."""
        open_now, self._open = self._open, {}
        self._kinds.clear()
        self.last_completed = None
        for txn in open_now.values():
            try:
                self.log.finished(txn, "abandoned")
            except Exception:  # noqa: BLE001 - a session end listener must not stop the wipe
                logger.exception("transaction %d not recorded as abandoned", txn)

    # -- helpers ------------------------------------------------------------------------------

    def _language(self) -> str:
        language = self.language()
        return language if language in ("zh_CN", "en") else "zh_CN"

    def _numbers(self, done: Any) -> tuple[str | None, int | None]:
        """(platform number if delivered, outbox item id) of an outcome or referral ticket.

        A referral id is made by the kiosk: the platform knows it only once delivered, so a
        referral's rating waits for its item."""
        item_id = getattr(done, "item_id", None)
        receipt = getattr(done, "receipt_no", None)
        if item_id is None and receipt and self.outbox is not None:
            item_id = self.outbox.item_id_for_receipt(receipt)
        number = None
        if getattr(done, "delivered", False):
            number = getattr(done, "registration_no", None) or getattr(done, "ticket_no", None)
        return (number or None), (int(item_id) if item_id is not None else None)


__all__ = ["JourneyTransactions"]
