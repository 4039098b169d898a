"""招聘会 on the terminal: the synced fair table (``store``), sign-up → 报到码, check-in by scan
or card, and booth booking (``service``). Rules: :mod:`kiosk.domain.fairs`; codes:
:mod:`kiosk.domain.station_codes`; the slip: :mod:`kiosk.services.slip.fair_checkin`;
``docs/fairs.md``."""

from kiosk.services.fairs.service import (BoothOutcome, CheckinOutcome, FairService,
                                          SignupOutcome, SyncResult)
from kiosk.services.fairs.store import FairStore, FairStoreError

__all__ = ["BoothOutcome", "CheckinOutcome", "FairService", "FairStore", "FairStoreError",
           "SignupOutcome", "SyncResult"]
