"""The single place screens are declared.

* ``SCREENS``: (name, class) of every screen, built once at start in this order.
* ``SERVICE_ROUTES``: what a home-screen service button does (service → callable(app)).
* ``IDENTITY_ROUTES``: where to go once the card has been read, by the session's
  ``pending_action`` (set by ``app.require_identity(action)``).
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from kiosk.screens.home import HomeScreen
from kiosk.screens.assistance import AssistanceDoneScreen, AssistanceScreen
from kiosk.screens.match import MatchScreen
from kiosk.screens.policies import PoliciesScreen, PolicyDetailScreen
from kiosk.screens.referral import ReferralScreen
from kiosk.screens.search import SearchScreen
from kiosk.screens.training import CourseDetailScreen, TrainingScreen
from kiosk.screens.vacancy_detail import VacancyDetailScreen

SCREENS: list[tuple[str, Callable[..., Any]]] = [
    ("home", HomeScreen),
    ("search", SearchScreen),
    ("vacancy_detail", VacancyDetailScreen),
    ("match", MatchScreen),
    ("referral", ReferralScreen),
    ("policies", PoliciesScreen),
    ("policy_detail", PolicyDetailScreen),
    ("training", TrainingScreen),
    ("course_detail", CourseDetailScreen),
    ("assistance", AssistanceScreen),
    ("assistance_done", AssistanceDoneScreen),
]

SERVICE_ROUTES: dict[str, Callable[[Any], None]] = {}
SERVICE_ROUTES["search"] = lambda app: app.go("search")
SERVICE_ROUTES["match"] = lambda app: app.require_identity("match")
SERVICE_ROUTES["policies"] = lambda app: app.go("policies")
SERVICE_ROUTES["training"] = lambda app: app.go("training")
SERVICE_ROUTES["assistance"] = lambda app: app.go("assistance")

IDENTITY_ROUTES: dict[str, Callable[[Any], None]] = {}
IDENTITY_ROUTES["match"] = lambda app: app.go("match", remember=False)
IDENTITY_ROUTES["referral"] = lambda app: app.go("referral", remember=False)
IDENTITY_ROUTES["assistance"] = lambda app: app.go("assistance", remember=False)

# ---- 求职登记 journey; "consent" and "card_read" serve every identity route ------------------
from kiosk.screens.card_read import CardReadScreen  # noqa: E402
from kiosk.screens.consent import ConsentScreen  # noqa: E402
from kiosk.screens.register_done import RegisterDoneScreen  # noqa: E402
from kiosk.screens.register_existing import RegisterExistingScreen  # noqa: E402
from kiosk.screens.register_form import RegisterFormScreen, open_registration_form  # noqa: E402
from kiosk.screens.register_review import RegisterReviewScreen  # noqa: E402

SCREENS += [
    ("consent", ConsentScreen),
    ("card_read", CardReadScreen),
    ("register_form", RegisterFormScreen),
    ("register_existing", RegisterExistingScreen),
    ("register_review", RegisterReviewScreen),
    ("register_done", RegisterDoneScreen),
]
SERVICE_ROUTES["register"] = lambda app: app.require_identity("register")
IDENTITY_ROUTES["register"] = open_registration_form

# ---- maintenance mode (technicians): corner gesture → PIN keypad → maintenance ---------------
from kiosk.screens.maintenance import MaintenanceScreen  # noqa: E402
from kiosk.screens.maintenance_pin import MaintenancePinScreen  # noqa: E402

SCREENS += [("maintenance_pin", MaintenancePinScreen), ("maintenance", MaintenanceScreen)]
