"""Scanned codes: ours (报到码, e-ID) or not ours (product barcodes, URLs, anything else)."""

from __future__ import annotations

import pytest

from kiosk.domain.station_codes import (EidCode, FairCheckinCode, ForeignCode, classify,
                                        fair_code_payload, format_short_code,
                                        normalise_short_code)

TOKEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:26]


def test_fair_code_round_trip_and_token_kept_out_of_repr():
    payload = fair_code_payload("DEMO-TODAY", "MZXW6YTBOI2DKNZQGEZDGNBVGY")
    assert payload == "GDJY:FAIR:1:DEMO-TODAY:MZXW6YTBOI2DKNZQGEZDGNBVGY"
    code = classify(payload)
    assert code == FairCheckinCode("DEMO-TODAY", "MZXW6YTBOI2DKNZQGEZDGNBVGY")
    assert "MZXW" not in repr(code)
    assert classify("  " + payload + "\r\n") == code


@pytest.mark.parametrize(("text", "kind"), [
    ("6901234567892", "product"),                       # EAN-13 on a bottle
    ("12345670", "product"),                            # EAN-8
    ("036000291452", "product"),                        # UPC-A
    ("https://weixin.qq.com/r/abc", "url"),
    ("HTTP://EXAMPLE.ORG", "url"),
    ("www.example.org/x", "url"),
    ("wxp://f2f0abc", "url"),
    ("hello", "other"),
    ("", "other"),
    ("GDJY:FAIR:1:DEMO-TODAY:short", "ours_malformed"),
    ("GDJY:FAIR:1:bad id:MZXW6YTBOI2DKNZQGEZDGNBVGY", "ours_malformed"),
    ("GDJY:FAIR:1:DEMO-TODAY:mzxw6ytboi2dknzqgezdgnbvgy", "ours_malformed"),  # lower case
    ("CTID1:short", "ours_malformed"),
])
def test_not_ours(text, kind):
    code = classify(text)
    assert code == ForeignCode(kind)
    assert code.message_zh == "这不是本站的二维码"


def test_eid_code():
    text = "CTID1:" + "a_B-" * 8
    assert classify(text) == EidCode(text)
    assert text not in repr(classify(text))


def test_short_code_format():
    assert format_short_code("abcd2345") == "ABCD-2345"
    assert normalise_short_code("ABCD-2345") == "ABCD2345"
    for bad in ("ABCD-23O5", "ABCD1345", "ABC-2345", "ABCDI345"):
        with pytest.raises(ValueError):
            normalise_short_code(bad)
    with pytest.raises(ValueError):
        fair_code_payload("DEMO", TOKEN.lower())
