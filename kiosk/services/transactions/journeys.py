"""Per-transaction records from the journey engine (issue 21): the engine's observer, and
the sink of its 好差评 rating step.

A journey that declares a ``Transaction`` (``JourneySpec.transaction``, or the older
``records`` + ``completes_on``) is one transaction:

* **started** when it begins, or when its ``starts_at`` step is entered (kind = the declared
  kind; language and 长辈模式 as they are then);
* **step reached** at every step entered (N = the step's position in the declaration, 1-based);
* **completed** when the engine reports it ``completed`` (one of its ``completes_on`` events):
  the declared number (``TransactionRef``) gives the platform number when already delivered,
  else the outbox item (by id or the receipt number) the rating waits for, and the final kind
  (``assistance:subsidy_application``);
* **abandoned** at the last step reached when the session ends first (完成 before submitting,
  the idle timeout, a refused consent).

The rating step's answers come back through :meth:`JourneyTransactions.rate` with the same
``RatingDue`` and are sent with :meth:`TransactionLog.rate` (outbox, ``POST /v1/ratings``).
Nothing personal is read: only the journey's name, step names and the outcome's numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from kiosk.services.transactions.models import KIND_RE
from kiosk.services.transactions.recorder import TransactionError, TransactionLog

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
        self._kinds: dict[str, str] = {}         # journey name -> kind chosen in it (older form)
        self._due: dict[int, int] = {}           # RatingDue.key -> completed transaction id
        self.last_completed: int | None = None   # the last transaction completed in the session
        session.add_end_listener(self.session_ended)

    # -- JourneyObserver ----------------------------------------------------------------------

    def began(self, journey: Any, spec: Any) -> None:
        txn = spec.txn
        if txn is None or txn.starts_at or spec.name in self._open:
            return
        self._start(spec.name, txn.kind)

    def _start(self, name: str, kind: str) -> None:
        self._open[name] = self.log.started(
            kind, language=self._language(), elderly=bool(getattr(self.session, "elderly", False)))

    def entered(self, journey: Any, spec: Any, step: Any) -> None:
        txn = spec.txn
        if txn is not None and txn.starts_at == step.name and spec.name not in self._open:
            self._start(spec.name, txn.kind)
        txn_id = self._open.get(spec.name)
        if txn_id is None:
            return
        names = [s.name for s in spec.steps]
        if step.name in names:
            self.log.step(txn_id, names.index(step.name) + 1, step.name)

    def handled(self, journey: Any, spec: Any, event: str, values: Mapping[str, Any]) -> None:
        chosen = values.get("kind")
        if (spec.transaction is None and spec.name in self._open and isinstance(chosen, str)
                and KIND_RE.fullmatch(chosen)):
            self._kinds[spec.name] = chosen          # older form: 就业帮办 → subsidy_application

    def completed(self, journey: Any, spec: Any, due: Any) -> None:
        """The engine's ``completed``: the open transaction is completed with ``due.ref``'s
        numbers and remembered for its rating."""
        txn_id = self._open.pop(spec.name, None)
        if txn_id is None:
            return
        ref = due.ref
        kind = ref.kind
        sub = self._kinds.pop(spec.name, None)
        if sub and spec.transaction is None:
            kind = f"{kind}:{sub}"
        item_id = ref.outbox_item_id
        if item_id is None and ref.receipt_no and self.outbox is not None:
            item_id = self.outbox.item_id_for_receipt(ref.receipt_no)
        self.log.finished(txn_id, "completed", language=self._language(),
                          elderly=bool(getattr(self.session, "elderly", False)),
                          outbox_item_id=int(item_id) if item_id is not None else None,
                          transaction_no=ref.number or None, kind=kind)
        self._due[due.key] = txn_id
        self.last_completed = txn_id

    # -- the rating step ---------------------------------------------------------------------

    def rate(self, due: Any, level: int, reasons: tuple[str, ...]) -> str:
        """The engine's ``RatingSink``: the rating of ``due``'s transaction, sent through the
        outbox (``queued``), held until the transaction reaches the platform (``held``), or
        ``dropped`` (no such completed transaction, rated already: logged).

        Raises:
            ValueError: bad level or reasons (``ratings.check_rating``).
        """
        txn_id = self._due.get(due.key)
        if txn_id is None:
            logger.warning("rating of %s dropped: its transaction was not recorded", due.journey)
            return "dropped"
        try:
            return self.log.rate(txn_id, level, reasons)
        except TransactionError as exc:
            logger.warning("rating of transaction %d dropped: %s", txn_id, exc)
            return "dropped"

    # -- session end --------------------------------------------------------------------------

    def session_ended(self, reason: str) -> None:
        """Every transaction still open is abandoned at its last step (never raises)."""
        open_now, self._open = self._open, {}
        self._kinds.clear()
        self._due.clear()
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


__all__ = ["JourneyTransactions"]
