"""Identity-number checks now live in :mod:`kiosk.domain.id_numbers` (GB 11643, ICAO 9303
style foreign numbers); re-exported here for the driver's modules and older imports."""

from kiosk.domain.id_numbers import FOREIGN_2017_RE as FOREIGN_2017_RE
from kiosk.domain.id_numbers import FOREIGN_2023_RE as FOREIGN_2023_RE
from kiosk.domain.id_numbers import GB11643_CHECK as GB11643_CHECK
from kiosk.domain.id_numbers import GB11643_RE as GB11643_RE
from kiosk.domain.id_numbers import GB11643_WEIGHTS as GB11643_WEIGHTS
from kiosk.domain.id_numbers import HK_MACAO_TAIWAN_PREFIXES as HK_MACAO_TAIWAN_PREFIXES
from kiosk.domain.id_numbers import ICAO_WEIGHTS as ICAO_WEIGHTS
from kiosk.domain.id_numbers import foreign_2017_check_digit as foreign_2017_check_digit
from kiosk.domain.id_numbers import gb11643_check_char as gb11643_check_char
from kiosk.domain.id_numbers import is_valid_foreign_2017 as is_valid_foreign_2017
from kiosk.domain.id_numbers import is_valid_foreign_2023 as is_valid_foreign_2023
from kiosk.domain.id_numbers import is_valid_gb11643 as is_valid_gb11643
from kiosk.domain.id_numbers import is_valid_hk_macao_taiwan as is_valid_hk_macao_taiwan
from kiosk.domain.id_numbers import link_from_foreign_2017 as link_from_foreign_2017
from kiosk.domain.id_numbers import normalise as normalise
from kiosk.domain.id_numbers import rebuild_foreign_2017 as rebuild_foreign_2017
