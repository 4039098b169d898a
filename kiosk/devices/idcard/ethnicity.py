"""GB 3304 ethnicity codes now live in :mod:`kiosk.domain.codes.ethnicity`; re-exported here."""

from kiosk.domain.codes.ethnicity import ETHNICITIES as ETHNICITIES
from kiosk.domain.codes.ethnicity import ethnicity_name as ethnicity_name
