"""``kiosk assistance``: the 就业援助 rule checks for staff and tests.

    kiosk assistance eligibility --profile FILE.json [--json]

prints ``{"gates_passed": bool, "failed_gates": [...], "categories": [numbers of 第一条]}``
(粤人社规〔2023〕11号 第一条, rules in :mod:`kiosk.domain.eligibility`) with ``--json``, else the
self-check wording the kiosk shows. The profile has exactly the keys ``as_of``, ``birth_date``
(YYYY-MM-DD), ``gender`` (female|male), ``hukou_division``, ``residence_division`` (six-digit
GB/T 2260), ``unemployed``, ``able_and_willing``, ``veteran`` (booleans),
``last_unemployment_registration`` (YYYY-MM-DD or null) and ``declared`` (a list, see
``docs/assistance.md``).

Nothing is logged (the categories may be sensitive personal information).
Exit status: 0 assessed (whatever the outcome), 2 the profile cannot be read or is invalid
(one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.domain.eligibility import HardshipProfile, ProfileError, assess
from kiosk.domain.hardship_wording import self_check_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("assistance", help="就业援助 rules (就业困难人员 self-check)")
    sub = parser.add_subparsers(dest="assistance_command", metavar="ACTION")
    sub.required = True
    check = sub.add_parser("eligibility",
                           help="gates and categories of 粤人社规〔2023〕11号 第一条 for a profile")
    check.add_argument("--profile", required=True, type=Path, metavar="FILE.json")
    check.add_argument("--json", action="store_true", help="print the JSON object")
    check.set_defaults(func=run_eligibility)


def run_eligibility(args: argparse.Namespace) -> int:
    try:
        data = json.loads(args.profile.read_text(encoding="utf-8"))
        profile = HardshipProfile.from_json(data)
    except OSError as exc:
        print(f"error: cannot read {args.profile}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        print(f"error: {args.profile} is not UTF-8 JSON{where}", file=sys.stderr)
        return 2
    except ProfileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = assess(profile)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        for line in self_check_text(result).lines_zh:
            print(line)
    return 0
