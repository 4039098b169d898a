"""``kiosk outbox …``: the offline outbox from the command line (technicians).

* ``kiosk outbox status [--json]`` — counts by state, last success, last error, reachability;
* ``kiosk outbox list [--state dead] [--json]`` — items (never their personal data);
* ``kiosk outbox retry ID`` — send a dead-lettered item again;
* ``kiosk outbox discard ID`` — give up on a pending or dead item (its personal data is deleted);
* ``kiosk outbox discard --unreadable`` — after the key file was lost or replaced (start-up
  fault ``KeyLost``): give up every item the current key cannot open and make a new key
  (the alternative is restoring ``outbox.key`` from a backup; its fingerprint is in the error);
* ``kiosk outbox purge`` — delete personal data of undelivered items beyond ``retention_days``.

Safe while the kiosk runs (SQLite WAL; items in flight are left alone: ``recover=False``).
Times are China Standard Time (``2026-12-01 16:11:05``) whatever the machine's zone.
Exit status: 0 done, 1 unknown item / not allowed in its state / storage error / unusable key
(one line on stderr), 2 bad config.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from kiosk.cli.context import int_range, load
from kiosk.domain.china_time import format_china

STATES = ("pending", "in_flight", "delivered", "dead", "expired", "discarded")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("outbox", help="offline outbox: status, list, retry, discard")
    sub = parser.add_subparsers(dest="outbox_command", metavar="ACTION")
    sub.required = True
    status = sub.add_parser("status", help="counts by state (离线队列状态)")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=cmd_status)
    listing = sub.add_parser("list", help="items in one state (default: dead)")
    listing.add_argument("--state", choices=STATES, default="dead")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_list)
    retry = sub.add_parser("retry", help="send a dead item again")
    retry.add_argument("item_id", type=int_range(1, 2**63 - 1), metavar="ID")
    retry.set_defaults(func=cmd_action, action="retry")
    discard = sub.add_parser("discard", help="give up on a pending or dead item (deletes its "
                             "data), or --unreadable: every item a lost key sealed")
    which = discard.add_mutually_exclusive_group(required=True)
    which.add_argument("item_id", nargs="?", type=int_range(1, 2**63 - 1), metavar="ID")
    which.add_argument("--unreadable", action="store_true",
                       help="give up the items the current key cannot open (key lost or "
                            "replaced) and make a new key")
    discard.set_defaults(func=cmd_action, action="discard")
    purge = sub.add_parser("purge", help="expire undelivered items beyond retention_days")
    purge.add_argument("--json", action="store_true")
    purge.set_defaults(func=cmd_purge)


def _open(args: argparse.Namespace):
    from kiosk.services.outbox import open_outbox

    return open_outbox(load(args), recover=False)


def _when(epoch: float | None) -> str:
    return format_china(epoch, seconds=True)


def cmd_status(args: argparse.Namespace) -> int:
    outbox = _open(args)
    try:
        status = outbox.status()
    finally:
        outbox.close()
    if args.json:
        print(json.dumps(asdict(status), ensure_ascii=False))
        return 0
    reach = {True: "yes", False: "no", None: "unknown"}[status.platform_reachable]
    print(f"待发送 pending {status.pending}  发送中 in_flight {status.in_flight}  "
          f"失败 dead {status.dead}  已送达 delivered {status.delivered}")
    print(f"最近成功 last success {_when(status.last_success_at)}  平台可达 reachable {reach}")
    if status.last_error:
        print(f"最近错误 last error: {status.last_error}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    outbox = _open(args)
    try:
        items = outbox.items(args.state, limit=10_000)
    finally:
        outbox.close()
    if args.json:
        print(json.dumps([asdict(item) for item in items], ensure_ascii=False))
        return 0
    if not items:
        print(f"没有 no {args.state} items")
    for item in items:
        print(f"{item.item_id}\t{item.kind}\t{item.receipt_no}\t{item.state}\t"
              f"{_when(item.created_at)}\tattempts {item.attempts}\t{item.last_error or ''}")
    return 0


def cmd_action(args: argparse.Namespace) -> int:
    from kiosk.services.outbox import OutboxError

    if getattr(args, "unreadable", False):
        return _discard_unreadable(args)
    outbox = _open(args)
    try:
        getattr(outbox, args.action)(args.item_id)
    except OutboxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        outbox.close()
    done = {"retry": "将重新发送 queued again", "discard": "已放弃，个人数据已删除 discarded, "
            "personal data deleted"}[args.action]
    print(f"{args.item_id}: {done}")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    outbox = _open(args)
    try:
        count = outbox.purge_expired()
    finally:
        outbox.close()
    print(json.dumps({"purged": count}) if args.json else f"已过期清除 purged {count}")
    return 0


def _discard_unreadable(args: argparse.Namespace) -> int:
    from kiosk.services.outbox import discard_unreadable_items

    receipts = discard_unreadable_items(load(args))
    if not receipts:
        print("没有无法读取的记录 no unreadable items; 密钥可用 the key opens every item")
        return 0
    print(f"已放弃 {len(receipts)} 条无法读取的记录，已生成新密钥 discarded {len(receipts)} "
          f"unreadable item(s), new key in place: {', '.join(receipts)}")
    return 0
