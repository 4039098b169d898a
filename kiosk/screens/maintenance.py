"""Maintenance mode (technicians): device, platform and outbox status; the station's service
figures (the same as ``kiosk stats``: transactions per kind and outcome, completion rate, median
and p90 duration, 好差评 satisfaction, device-fault minutes; issue 21); test read, test print,
printer resume, sync now, logs (masked), on-site settings, restart and exit to the desktop.

All work goes through :class:`kiosk.services.maintenance.diagnostics.MaintenanceService` in the
background; this screen only formats results. Texts are Chinese first, English second. The
screen leaves for home after ``maintenance.timeout_s`` seconds without a touch, and on 离开.
Restart = exit status 75 (systemd starts the kiosk again); exit = ``app.technician_exit()``.
"""

from __future__ import annotations

import time
from typing import Any

from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button

from kiosk.screens.base import KioskScreen, load_kv
from kiosk.services.maintenance.diagnostics import MaintenanceService, format_time
from kiosk.ui.background import run_in_background
from kiosk.ui.i18n import _
from kiosk.ui.widgets import KioskLabel

load_kv(__file__)

CONFIRM_S = 5.0
LOG_LINES = 40


class MaintenanceScreen(KioskScreen):
    reader_text = StringProperty("")
    printer_text = StringProperty("")
    scanner_text = StringProperty("")
    platform_text = StringProperty("")
    outbox_text = StringProperty("")
    system_text = StringProperty("")
    stats_text = StringProperty("")
    result_text = StringProperty("")
    busy = BooleanProperty(False)
    logs_text = StringProperty("")
    settings_message = StringProperty("")
    ports_text = StringProperty("")
    seconds_left = NumericProperty(0)
    paper = NumericProperty(80)
    confirm = StringProperty("")       # "restart" / "exit" awaiting the second tap

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._service: MaintenanceService | None = None
        self._timer = None
        self._last_touch = 0.0
        self._confirm_at = 0.0
        self._refreshing = False

    @property
    def service(self) -> MaintenanceService:
        if self._service is None or self._service.services is not self.services:
            self._service = MaintenanceService(self.services)
        return self._service

    # ---- lifecycle ----------------------------------------------------------------------
    def on_pre_enter(self, *args: object) -> None:
        self._last_touch = time.monotonic()
        self._timer = Clock.schedule_interval(self._tick, 1.0)
        self._tick(0)
        self.load_settings_form()
        self.refresh()

    def on_leave(self, *args: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.wipe()

    def on_touch_down(self, touch) -> bool:  # noqa: ANN001
        self._last_touch = time.monotonic()
        return super().on_touch_down(touch)

    def _tick(self, _dt: float) -> None:
        timeout = self.services.settings.maintenance.timeout_s
        self.seconds_left = max(0, int(timeout - (time.monotonic() - self._last_touch)))
        if self.confirm and time.monotonic() - self._confirm_at > CONFIRM_S:
            self.confirm = ""
        if self.seconds_left <= 0:
            self.leave()

    def wipe(self) -> None:
        """Test-read results (masked name/number) and logs must not outlive the visit."""
        self.result_text = ""
        self.logs_text = ""
        self.settings_message = ""
        self.confirm = ""

    # ---- status -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Ask every device again; the last action's result stays on screen meanwhile. The
        buttons stay enabled: a tap during this background refresh is not swallowed."""
        if self._refreshing:
            return
        self._refreshing = True

        def shown(snap: Any) -> None:
            self._refreshing = False
            self._show(snap)

        def failed(exc: BaseException) -> None:
            self._refreshing = False
            message = getattr(exc, "message_zh", "") or getattr(exc, "reason", "") or str(exc)
            self.result_text = _("失败 Failed") + f": {message}"

        run_in_background(self.service.snapshot, shown, failed)
        run_in_background(self._figures, self._show_figures, self._figures_failed)

    def _figures(self) -> str:
        """The figures of ``kiosk stats`` (every record kept), as text (worker thread)."""
        from kiosk.services.transactions import station_stats
        from kiosk.services.transactions.report import report_text

        records = getattr(self.services, "transactions", None)
        if records is None:
            return _("未启用服务统计 No transaction records")
        return report_text(station_stats(records.store).as_json(), table=False)

    def _show_figures(self, text: str) -> None:
        self.stats_text = text

    def _figures_failed(self, exc: BaseException) -> None:
        self.stats_text = _("服务统计无法读取 Cannot read the records") + f": {type(exc).__name__}"

    def _show(self, snap: Any) -> None:
        r = snap.reader
        self.reader_text = _("未配置读卡器 No card reader") if r is None else (
            f"{_('端口 Port')}: {r.port}\n{_('状态 State')}: {r.state}\n"
            f"SAM: {r.sam}" + (f" · ID {r.sam_id}" if r.sam_id else "")
            + f"\n{_('上次读卡 Last read')}: {format_time(r.last_read_at)}")
        st = snap.printer_status
        bits = st.summary() if st is not None else "-"
        near = _("是 yes") if st is not None and st.paper_near_end else _("否 no")
        message = st.message_zh() if st is not None else "-"
        self.printer_text = (f"{snap.printer_name} · {snap.printer_profile}\n{message} ({bits})\n"
                             f"{_('纸将尽 Paper near end')}: {near}\n"
                             f"{_('上次打印 Last job')}: {snap.last_print_job}")
        p = snap.platform
        if p is None:
            self.platform_text = _("未配置平台 No platform")
        else:
            reach = {True: _("可达 reachable"), False: _("不可达 unreachable"),
                     None: _("未知 unknown")}[p.reachable]
            skew = "-" if p.clock_skew_s is None else f"{p.clock_skew_s:+.1f} s"
            self.platform_text = (
                f"{p.base_url} · {reach}\n{_('上次提交 Last delivery')}: "
                f"{format_time(p.last_success_at)}\n{_('岗位同步 Catalog sync')}: "
                f"{p.catalog_synced_at or '-'}\n{_('时钟偏差 Clock skew')}: {skew}\n"
                f"{_('上次心跳 Last heartbeat')}: {format_time(p.last_heartbeat_at)}")
        sc = snap.scanner
        self.scanner_text = (f"{sc.message_zh()}\n{_('方式 Mode')}: {sc.description}\n"
                             + _("可选设备，没有扫码器本机也能使用（刷身份证） "
                                 "Optional hardware, the kiosk works without one"))
        o = snap.outbox
        self.outbox_text = "-" if o is None else (
            f"{_('待发送 Pending')}: {o.pending + o.in_flight} · {_('失败 Dead')}: {o.dead} · "
            f"{_('已送达 Delivered')}: {o.delivered}"
            + (f"\n{_('最近错误 Last error')}: {o.last_error}" if o.last_error else ""))
        h = snap.health
        self.system_text = (f"{_('磁盘可用 Disk free')}: {h.disk_free_mb} MiB · "
                            f"{_('内存 Memory')}: {h.rss_mb} MiB · {_('总体 Overall')}: {h.overall}")
        failed = getattr(self.shell, "startup_error", None)  # the technician sees the cause
        if failed:
            self.system_text += f"\n{_('启动失败 Start-up failed')}: {failed}"
        self._show_dead(snap.dead_items)

    def _show_dead(self, items: Any) -> None:
        box = self.ids.dead_list
        box.clear_widgets()
        for item in items:
            row = BoxLayout(size_hint_y=None, spacing=12)
            label = KioskLabel(text=f"#{item.item_id} {item.kind} {item.receipt_no}\n"
                                    f"{item.last_error or ''}", role="small")
            row.add_widget(label)
            for text, action in ((_("重试 Retry"), self.retry), (_("放弃 Discard"), self.discard)):
                button = MaintenanceButton(text=text, size_hint_x=None)
                button.bind(on_release=lambda _b, a=action, i=item.item_id: a(i))
                row.add_widget(button)
            row.bind(minimum_height=row.setter("height"))
            label.bind(height=lambda _l, h, r=row: setattr(r, "height", max(h, r.children[0].height)))
            box.add_widget(row)
        if not items:
            box.add_widget(KioskLabel(text=_("没有失败的提交 No dead-lettered items")))

    # ---- actions ------------------------------------------------------------------------
    def _run(self, busy_text: str, fn: Any, on_result: Any) -> None:
        if self.busy:
            return
        self.busy = True
        if busy_text:
            self.result_text = busy_text

        def done(value: Any) -> None:
            self.busy = False
            if busy_text and self.result_text == busy_text:
                self.result_text = ""
            on_result(value)

        def failed(exc: BaseException) -> None:
            self.busy = False
            message = getattr(exc, "message_zh", "") or getattr(exc, "reason", "") or str(exc)
            self.result_text = _("失败 Failed") + f": {message}"

        run_in_background(fn, done, failed)

    def _result(self, value: Any) -> None:
        self.result_text = value if isinstance(value, str) else value.message_zh
        self.refresh_later()

    def refresh_later(self) -> None:
        Clock.schedule_once(lambda _dt: self.refresh(), 0.1)

    def test_read(self) -> None:
        def shown(result: Any) -> None:
            self.result_text = (f"{result.message_zh}: {result.masked_name} "
                                f"{result.masked_id_number} ({result.seconds:.1f} s)"
                                if result.ok else result.message_zh)
        self._run(_("请放身份证… Place an ID card… (10 s)"), self.service.test_card_read, shown)

    def test_print(self) -> None:
        self._run(_("正在打印测试页… Printing…"), self.service.test_print, self._result)

    def resume_printer(self) -> None:
        self._run(_("正在检查打印机… Checking printer…"), self.service.resume_printer,
                  self._result)

    def sync_now(self) -> None:
        self._run(_("正在同步… Syncing…"), self.service.sync_now, self._result)

    def show_logs(self) -> None:
        def shown(lines: list[str]) -> None:
            self.logs_text = "\n".join(lines) or _("暂无日志 No log yet")
        self._run(_("正在读取日志… Reading logs…"), lambda: self.service.recent_logs(LOG_LINES),
                  shown)

    def retry(self, item_id: int) -> None:
        self._run(_("正在重试… Retrying…"), lambda: self.service.retry_item(item_id),
                  lambda _v: self._result(_("已重新排队 Queued again") + f" #{item_id}"))

    def discard(self, item_id: int) -> None:
        self._run(_("正在放弃… Discarding…"), lambda: self.service.discard_item(item_id),
                  lambda _v: self._result(_("已放弃并删除个人数据 Discarded") + f" #{item_id}"))

    # ---- settings -----------------------------------------------------------------------
    def load_settings_form(self) -> None:
        s = self.services.settings
        self.ids.station_input.text = s.station.name
        self.ids.port_input.text = s.card_reader.port
        self.ids.idle_input.text = str(s.session.idle_timeout_s)
        self.paper = s.printer.paper
        run_in_background(_serial_ports, lambda text: setattr(self, "ports_text", text))

    def save_settings(self) -> None:
        try:
            idle = int(self.ids.idle_input.text.strip())
        except ValueError:
            self.settings_message = _("空闲超时须为整数秒 Idle timeout must be whole seconds")
            return
        changes = {"station.name": self.ids.station_input.text.strip(),
                   "card_reader.port": self.ids.port_input.text.strip(),
                   "printer.paper": int(self.paper), "session.idle_timeout_s": idle}
        if changes["printer.paper"] != self.services.settings.printer.paper:
            changes["printer.columns"] = 0  # the paper's default column count

        def saved(change: Any) -> None:
            self.shell.set_station_name(self.services.settings.station.name)
            self.settings_message = change.message_zh

        def refused(exc: BaseException) -> None:
            self.busy = False
            option = getattr(exc, "option", "")
            self.settings_message = _("未保存 Not saved") + f": {option} {getattr(exc, 'reason', exc)}"

        self.busy = True

        def done(change: Any) -> None:
            self.busy = False
            saved(change)

        run_in_background(lambda: self.service.change_settings(changes), done, refused)

    # ---- leaving ------------------------------------------------------------------------
    def _confirmed(self, what: str) -> bool:
        if self.confirm == what and time.monotonic() - self._confirm_at <= CONFIRM_S:
            return True
        self.confirm = what
        self._confirm_at = time.monotonic()
        return False

    def restart_app(self) -> None:
        if self._confirmed("restart"):
            self.shell.restart_app("maintenance")

    def exit_to_desktop(self) -> None:
        if self._confirmed("exit"):
            self.shell.technician_exit()

    def leave(self) -> None:
        self.nav.finish("maintenance")


class MaintenanceButton(Button):
    """A button of the maintenance screen (styled in maintenance.kv)."""


def _serial_ports() -> str:
    from kiosk.services.maintenance.diagnostics import serial_ports

    return "\n".join(serial_ports()) or _("未发现串口 No serial ports found")


SCREENS = {"maintenance": MaintenanceScreen}
