"""The accessibility audit on the home screen, both modes, both orientations (other screens
are audited by tests/ui/test_audit_all_screens.py once their journeys exist)."""

from __future__ import annotations

import pytest

from tests.ui.audit import audit, contrast

pytestmark = pytest.mark.ui


def test_contrast_formula_matches_wcag_examples():
    assert round(contrast([0, 0, 0, 1], [1, 1, 1, 1]), 1) == 21.0
    assert round(contrast([0.466, 0.466, 0.466, 1], [1, 1, 1, 1]), 1) == 4.5


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
@pytest.mark.parametrize("elderly", [False, True])
def test_home_passes_the_audit(ui, size, elderly):
    ui.set_size(*size)
    if elderly != ui.app.theme.elderly:
        ui.app.toggle_elderly()
    ui.pump(5)
    findings = audit(ui.app.root, "home", elderly)
    if elderly:
        ui.screenshot("audit-home-elderly")
    assert findings == [], "\n".join(map(str, findings))
