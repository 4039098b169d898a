"""The card value type now lives in :mod:`kiosk.domain.identity_card` (re-exported here for
the driver's modules and older imports)."""

from kiosk.domain.identity_card import CardType as CardType
from kiosk.domain.identity_card import GENDERS as GENDERS
from kiosk.domain.identity_card import IdentityCard as IdentityCard
from kiosk.domain.identity_card import JSON_KEYS as JSON_KEYS
from kiosk.domain.identity_card import LONG_TERM as LONG_TERM
from kiosk.domain.identity_card import LONG_TERM_JSON as LONG_TERM_JSON
from kiosk.domain.identity_card import LongTerm as LongTerm
from kiosk.domain.identity_card import mask_address as mask_address
