"""The log filter masks ID numbers, phones and session names that reach a record by mistake."""

from __future__ import annotations

import logging

from kiosk.domain.masking import id_number_last4, mask_id_number, mask_name, mask_phone, mask_text
from kiosk.logging_setup import PERSONAL_DATA_FILTER, configure_logging


def test_masking_conventions():
    assert mask_name("张小明") == "张*明"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_id_number("449901199001011235") == "4499**********1235"
    assert id_number_last4("449901199001011235") == "…1235"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_text("id 449901199001011235 tel 138-1234-5678 end") == "id 4499**********1235 tel 138****5678 end"


def test_log_file_never_holds_personal_data(tmp_path):
    configure_logging(tmp_path, "INFO", console=False)
    PERSONAL_DATA_FILTER.add_name("张小明")
    log = logging.getLogger("kiosk.test")
    log.info("registered %s with %s and phone %s", "张小明", "449901199001011235", "13812345678")
    try:
        raise ValueError("bad card 810000199001011234")
    except ValueError:
        log.exception("failed")
    PERSONAL_DATA_FILTER.forget_name("张小明")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = (tmp_path / "kiosk.log").read_text(encoding="utf-8")
    assert "张小明" not in text and "张*明" in text
    assert "449901199001011235" not in text and "4499**********1235" in text
    assert "13812345678" not in text and "138****5678" in text
    assert "810000199001011234" not in text and "8100**********1234" in text
    configure_logging(None, "WARNING", console=False)


def test_console_log_names_an_exception_in_one_line_and_the_file_keeps_the_traceback(tmp_path,
                                                                                      capsys):
    import logging

    from kiosk.logging_setup import configure_logging

    configure_logging(tmp_path, console=True)
    try:
        try:
            raise KeyError("x")
        except KeyError:
            logging.getLogger("kiosk.test").exception("start-up failed")
    finally:
        configure_logging(None, console=False)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().endswith("ERROR kiosk.test: start-up failed (KeyError; traceback in "
                                "logs/kiosk.log)")
    assert "Traceback" in (tmp_path / "kiosk.log").read_text("utf-8")
