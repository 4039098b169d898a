"""``kiosk employer``: offline checks for employer postings.

    kiosk employer check-code CODE

prints one JSON object ``{"code": normalised, "valid": bool, "kind": "credit_code_18" |
"registration_no_15" | null, "reason": str | null, "warnings": [...]}`` (rules:
:mod:`kiosk.domain.credit_code`, GB 32100-2015 and the 15-digit 注册号 by ISO 7064 MOD 11,10).

Exit status: 0 the code is valid, 1 it is not, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json

from kiosk.domain.credit_code import check_code


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("employer", help="employer checks (统一社会信用代码)")
    sub = parser.add_subparsers(dest="employer_command", metavar="ACTION")
    sub.required = True
    check = sub.add_parser(
        "check-code", help="check a 统一社会信用代码 (18) or old 注册号 (15) offline")
    check.add_argument("code", metavar="CODE", help="the code as printed on the licence")
    check.set_defaults(func=run_check_code)


def run_check_code(args: argparse.Namespace) -> int:
    result = check_code(args.code)
    print(json.dumps(result.as_json(), ensure_ascii=False))
    return 0 if result.valid else 1
