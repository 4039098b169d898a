"""The wedge adapter in a real Kivy window (SDL2 under Xvfb) with a focused TextInput: a scan
burst never reaches the field; a person's typing does, and Enter still validates.

Runs in a child process: the UI suite owns the one window of its own process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]
REPO = Path(__file__).resolve().parents[2]

SCRIPT = r'''
import os, time
os.environ["KIVY_LOG_MODE"] = "PYTHON"
from kivy.config import Config
Config.set("graphics", "width", "400")
Config.set("graphics", "height", "200")
from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.uix.textinput import TextInput
from kiosk.devices.scanner.base import ListenerBase
from kiosk.devices.scanner.keyboard import KeyboardWedgeScanner
from kiosk.ui.scanner_wedge import ScannerWedgeAdapter

field = TextInput(multiline=False)
validated = []
field.bind(on_text_validate=lambda *_: validated.append(field.text))
Window.add_widget(field)
EventLoop.ensure_window()
field.focus = True
scans = []
class Seen(ListenerBase):
    def on_scan(self, scan):
        scans.append((scan.text, scan.symbology))
scanner = KeyboardWedgeScanner()
scanner.add_listener(Seen())
scanner.start()
adapter = ScannerWedgeAdapter(scanner)  # keep it: Kivy binds methods weakly
adapter.install()

def key(char):  # what SDL2 delivers for one printable key
    if not Window.dispatch("on_key_down", ord(char), 4, char, []):
        Window.dispatch("on_keyboard", ord(char), 4, char, [])
    Window.dispatch("on_textinput", char)

def pump(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        EventLoop.idle()
        time.sleep(0.002)

for char in "]Q1FAIR-7Q3X":
    key(char)
Window.dispatch("on_key_down", 13, 40, None, [])
pump(0.3)
print("BURST", repr(field.text), scans)
for char in "hi":
    key(char)
    pump(0.2)
Window.dispatch("on_key_down", 13, 40, None, [])
pump(0.2)
print("TYPED", repr(field.text), validated, Window.managed_textinput)
'''


def test_burst_is_kept_from_a_real_text_input_and_typing_is_not() -> None:
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs an X display (the test conftest starts Xvfb)")
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True,
                         text=True, timeout=90, env={**os.environ, "KIVY_NO_ARGS": "1"})
    assert out.returncode == 0, out.stderr[-2000:]
    lines = [line for line in out.stdout.splitlines() if line.startswith(("BURST", "TYPED"))]
    assert lines == ["BURST '' [('FAIR-7Q3X', ']Q1')]", "TYPED 'hi' ['hi'] True"]
