"""Pinyin readings with the reduced phrase table (issue 23, idle memory): the shipped table is
what the installed pypinyin gives, and every real vacancy title, occupation name and place name
reads exactly as with pypinyin's full phrase dictionary."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from kiosk.services.pinyin_readings import PHRASES_FILE, differing_phrases

READINGS = r"""
import json, sys
if sys.argv[1] == "full":
    import pypinyin   # first, before the catalog's modules turn the full dictionary off
from kiosk.services.catalog.csv_import import read_csv
from kiosk.domain.codes import divisions, occupations
if sys.argv[1] == "reduced":
    from kiosk.services.pinyin_readings import Style, lazy_pinyin
else:
    from pypinyin import Style, lazy_pinyin
import pypinyin.constants as constants
rows = list(read_csv(sys.argv[2]))
texts = {v.title for v in rows} | {v.occupation_name for v in rows}
texts |= set(occupations.MIDDLES.values()) | set(divisions.CITIES.values())
texts |= set(divisions.COUNTIES.values()) | set(divisions.TOWNS.values())
print(json.dumps({"phrases": len(constants.PHRASES_DICT),
                  "readings": {t: lazy_pinyin(t, style=Style.NORMAL) for t in sorted(texts)}}))
"""


def test_the_shipped_table_matches_the_installed_pypinyin():
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    shipped = json.loads(PHRASES_FILE.read_text(encoding="utf-8"))
    assert shipped == differing_phrases(phrases_dict, pinyin_dict)
    assert {"重庆", "银行", "增长"} <= set(shipped) and "保洁" not in shipped
    assert len(shipped) < len(phrases_dict) / 4


def _readings(mode: str, csv) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYPINYIN_NO_PHRASES"}
    out = subprocess.run([sys.executable, "-c", READINGS, mode, str(csv)], env=env, check=True,
                         capture_output=True, text=True, timeout=120).stdout
    return json.loads(out)


def test_real_titles_read_as_with_the_full_dictionary(shared_data):
    full = _readings("full", shared_data / "vacancies_clean.csv")
    reduced = _readings("reduced", shared_data / "vacancies_clean.csv")
    assert full["phrases"] > 40_000 and reduced["phrases"] < 10_000   # the switch took effect
    assert len(full["readings"]) > 5_000
    differing = [t for t in full["readings"] if full["readings"][t] != reduced["readings"][t]]
    assert differing == []
    assert reduced["readings"]["增城区"] == ["zeng", "cheng", "qu"]
