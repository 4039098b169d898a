"""The nightly restart decision (pure) and its exit status."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiosk.services.maintenance.restart_policy import (MIN_UPTIME_S, RESTART_EXIT_STATUS,
                                                       should_restart_now)
from kiosk.settings import ConfigError, Settings, replace_option

AT_4 = datetime(2026, 3, 14, 4, 0, 30)
AT_459 = datetime(2026, 3, 14, 4, 59, 59)
AT_5 = datetime(2026, 3, 14, 5, 0, 0)
AT_3 = datetime(2026, 3, 14, 3, 59, 59)


def test_exit_status_is_ex_tempfail():
    assert RESTART_EXIT_STATUS == 75


@pytest.mark.parametrize("now, uptime, busy, expected", [
    (AT_4, 2 * 3600, False, (True, "nightly")),
    (AT_459, 3601, False, (True, "nightly")),
    (AT_4, MIN_UPTIME_S, False, (False, "uptime")),        # exactly 1 h is not "more than"
    (AT_4, 600, False, (False, "uptime")),                 # booted at 03:50: not again at 04:00
    (AT_4, 2 * 3600, True, (False, "busy")),               # a jobseeker or technician is here
    (AT_3, 20 * 3600, False, (False, "not_the_hour")),
    (AT_5, 20 * 3600, False, (False, "not_the_hour")),     # the hour passed: wait for tomorrow
])
def test_decision(now, uptime, busy, expected):
    decision = should_restart_now(now, uptime, 4, busy)
    assert (decision.restart, decision.reason) == expected


def test_minus_one_disables_and_midnight_works():
    assert should_restart_now(AT_4, 9e9, -1, False).reason == "disabled"
    assert should_restart_now(datetime(2026, 1, 1, 0, 5), 7200, 0, False).restart


def test_bad_hour_is_refused_by_function_and_settings():
    with pytest.raises(ValueError):
        should_restart_now(AT_4, 7200, 24, False)
    with pytest.raises(ConfigError) as err:
        replace_option(Settings(), "maintenance.nightly_restart_hour", 24)
    assert err.value.option == "maintenance.nightly_restart_hour"
    assert replace_option(Settings(), "maintenance.nightly_restart_hour", -1) \
        .maintenance.nightly_restart_hour == -1
