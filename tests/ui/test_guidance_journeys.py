"""职业指导 at the kiosk by touch (issue 22): 兴趣探索 answered to its result, whose reason then
shows in 为我推荐; screenshots in both orientations. The rules are tested headless in
``tests/journeys/test_interests_journey.py``."""

from __future__ import annotations

import pytest

from kiosk.services.journeys.declared.interests import InterestExploration

pytestmark = pytest.mark.ui


def test_interest_exploration_by_touch_both_orientations(ui):
    ui.set_size(1920, 1080)
    ui.tap(id="btn_interests")
    ui.wait_screen("interest_intro")
    ui.screenshot("interests-intro-landscape")
    ui.tap(id="begin")
    item = ui.wait_screen("interest_item")
    ui.screenshot("interests-item-landscape")
    for _ in range(6):                                  # one statement of each type: 喜欢
        ui.tap(id="answer_like")
    ui.tap(id="answer_dislike")                          # R2
    assert item.progress_text.startswith("第 8 题")
    ui.set_size(1080, 1920)
    ui.pump(3)
    ui.screenshot("interests-item-portrait")
    ui.tap(id="stop_items")
    result = ui.wait_screen("interest_result")
    ui.wait_until(lambda: not result.busy, 10, "vacancies for the interests")
    assert "您回答了 7 题（共 30 题）" in result.summary_text
    assert result.types_text.startswith("1.动脑钻研型")    # I, A, S, E, C: 1 like each; R 1 of 2
    assert result.ids.vacancies.data
    ui.screenshot("interests-result-portrait")
    ui.set_size(1920, 1080)
    ui.pump(3)
    ui.screenshot("interests-result-landscape")
    assert ui.app.nav.journey.part(InterestExploration).result.top == ("I", "A", "S")
