"""Configuration: defaults parse, overrides apply, and every kind of mistake names the option."""

from __future__ import annotations

import pytest

from kiosk.settings import ConfigError, load_settings, parse_settings, replace_option


def test_defaults_parse_with_documented_values():
    settings = load_settings(environ={})
    assert settings.station.name == "天河区天河南街道就业驿站"
    assert settings.card_reader.baudrate == 115200
    assert settings.printer.paper == 80
    assert settings.platform.base_url == "embedded"
    assert settings.outbox.retention_days == 7
    assert settings.session.idle_timeout_s == 60


def test_site_file_overrides_key_by_key(site_config):
    path = site_config('[station]\nname = "南山区粤海街道就业驿站"\n[printer]\npaper = 58\n')
    settings = load_settings(path, environ={})
    assert settings.station.name == "南山区粤海街道就业驿站"
    assert settings.station.complaint == "12333"  # untouched default
    assert settings.printer.paper == 58


def test_environment_variable_names_the_site_file(site_config):
    path = site_config('[session]\nidle_timeout_s = 90\n')
    assert load_settings(environ={"KIOSK_CONFIG": str(path)}).session.idle_timeout_s == 90


@pytest.mark.parametrize("text, option, words", [
    ('[printer]\npaper = 76\n', "printer.paper", "one of 58, 80"),
    ('[printer]\npapr = 58\n', "printer.papr", "unknown option"),
    ('[session]\nidle_timeout_s = "60"\n', "session.idle_timeout_s", "whole number"),
    ('[session]\nidle_timeout_s = 0\n', "session.idle_timeout_s", "greater than 0"),
    ('[station]\nname = "天河区服务中心"\n', "station.name", "就业驿站"),
    ('[station]\nname = "就业驿站"\n', "station.name", "就业驿站"),
    ('[display]\nfullscreen = "yes"\n', "display.fullscreen", "true or false"),
    ('[printers]\npaper = 58\n', "printers", "unknown section"),
    ('[station]\nname = "  就业驿站"\n', "station.name", "就业驿站"),
    ('[station]\nname = "Tianhe就业驿站"\n', "station.name", "in Chinese"),
    ('[station]\nname = "天河区\\n就业驿站"\n', "station.name", "no spaces"),
    ('[station]\ndivision_code = "44A106"\n', "station.division_code", "440106"),
    ('[station]\nlatitude = 200\n', "station.latitude", "between -90 and 90"),
    ('[station]\nterminal_id = ""\n', "station.terminal_id", "GD-4403-0027"),
    ('[accessibility]\nvoice_volume = 2.0\n', "accessibility.voice_volume", "between 0 and 1"),
    ('[printer]\nusb_vendor_id = 99999999\n', "printer.usb_vendor_id", "between 0 and 65535"),
    ('[station]\nservices = " ； "\n', "station.services", "at least one service"),
    ('[station]\nrules = ""\n', "station.rules", "at least one service rule"),
])
def test_bad_values_name_the_option_and_the_file(site_config, text, option, words):
    path = site_config(text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    assert info.value.option == option
    assert info.value.source == str(path)
    assert words in str(info.value)


def test_invalid_toml_names_the_file(site_config):
    path = site_config("[station\nname = 1")
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    assert info.value.source == str(path)
    assert "not valid TOML" in str(info.value)


def test_a_folder_or_binary_file_as_config_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="folder"):
        load_settings(tmp_path, environ={})
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="UTF-8"):
        load_settings(binary, environ={})


def test_unknown_section_lists_only_real_sections(site_config):
    with pytest.raises(ConfigError) as info:
        load_settings(site_config("[site_file]\nx = 1\n"), environ={})
    assert "site_file" not in str(info.value).split("known:")[1]


def test_missing_site_file_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_settings_are_frozen():
    settings = parse_settings({})
    with pytest.raises(AttributeError):
        settings.station.name = "x"  # type: ignore[misc]


def test_runtime_change_is_validated_like_the_file():
    settings = parse_settings({})
    changed = replace_option(settings, "session.idle_timeout_s", 45)
    assert changed.session.idle_timeout_s == 45 and settings.session.idle_timeout_s == 60
    with pytest.raises(ConfigError) as info:
        replace_option(settings, "station.name", "随便一个名字")
    assert info.value.option == "station.name" and info.value.source == "<runtime>"


def test_cli_reports_config_error_with_exit_2(site_config, capsys):
    from kiosk.cli import main

    path = site_config('[printer]\npaper = 76\n')
    assert main(["--config", str(path), "run", "--exit-after", "1"]) == 2
    assert "printer.paper" in capsys.readouterr().err


def test_published_services_and_rules_are_lists_at_semicolons(site_config):
    defaults = load_settings(environ={}).station
    assert defaults.service_items[:2] == ("求职登记", "岗位信息与推荐")
    assert defaults.rule_items[0] == "所有服务免费，不收取任何费用"
    path = site_config('[station]\nservices = "求职登记；零工对接; 职业指导；"\nrules = "请本人办理"\n')
    station = load_settings(path, environ={}).station
    assert station.service_items == ("求职登记", "零工对接", "职业指导")
    assert station.rule_items == ("请本人办理",)
