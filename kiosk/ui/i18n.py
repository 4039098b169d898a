"""Translations for the UI, switchable at run time and usable from ``.kv`` files.

Message ids are the Simplified-Chinese texts (the default language); English comes from the
gettext catalog ``assets/locale/en/LC_MESSAGES/kiosk.mo`` (built from ``kiosk.po`` by
``msgfmt``, or compiled at start-up from the ``.po`` when the ``.mo`` is missing). In kv::

    #:import _ kiosk.ui.i18n._
    Label:
        text: _("找工作")

``_`` is an observable: kv binds to it, so switching the language with :func:`set_language`
re-evaluates every such expression. The language resets to Chinese when a session ends.
"""

from __future__ import annotations

import gettext
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from kivy.event import Observable

if TYPE_CHECKING:   # the fair model loads with the fair screens, not before the home screen
    from kiosk.domain.fairs import Fair

logger = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parents[2] / "assets" / "locale"
DOMAIN = "kiosk"
LANGUAGES = ("zh_CN", "en")


def _load(language: str) -> gettext.NullTranslations:
    if language == "zh_CN":
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    except OSError:
        po = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.exists():
            return _PoTranslations(po)
        logger.warning("no catalog for %s; showing Chinese", language)
        return gettext.NullTranslations()


class _PoTranslations(gettext.NullTranslations):
    """Reads a ``.po`` directly (fallback when ``msgfmt`` has not built the ``.mo``)."""

    def __init__(self, po: Path) -> None:
        super().__init__()
        from kiosk.services.po_catalog import read_po

        self._catalog = read_po(po)

    def gettext(self, message: str) -> str:
        return self._catalog.get(message) or message


class Translator(Observable):
    """Callable observable: ``_("找工作")`` → the text in the current language."""

    observers: list

    def __init__(self, language: str = "zh_CN") -> None:
        super().__init__()
        self.observers = []
        self.language = language
        self._translations = _load(language)

    def __call__(self, text: str, *args: object) -> str:
        translated = self._translations.gettext(text)
        return translated.format(*args) if args else translated

    def fbind(self, name, func, *largs, **kwargs):  # noqa: ANN001 - Kivy's signature
        # kv binds with fbind("_", call_fn, (element, key, value, rule, idmap)): one argument.
        if name == "_":
            args = largs[0] if len(largs) == 1 else largs
            self.observers.append((func, args, kwargs))
            return len(self.observers)
        return super().fbind(name, func, *largs, **kwargs)

    def funbind(self, name, func, *largs, **kwargs):  # noqa: ANN001
        if name == "_":
            args = largs[0] if len(largs) == 1 else largs
            key = (func, args, kwargs)
            if key in self.observers:
                self.observers.remove(key)
            return
        super().funbind(name, func, *largs, **kwargs)

    def switch(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        if language == self.language:
            return
        self.language = language
        self._translations = _load(language)
        alive = []
        for observer in self.observers:
            func, args, _kwargs = observer
            try:
                func(args, None, None)
            except ReferenceError:  # the widget is gone: forget its binding
                continue
            alive.append(observer)
        self.observers = alive


_ = Translator()


def set_language(language: str) -> None:
    """Switch every bound text to ``language`` ("zh_CN" or "en")."""
    _.switch(language)


def current_language() -> str:
    return _.language


def fact_line(label: str, value: object) -> str:
    """``label`` and ``value`` on one line: "薪资：4000元/月" in Chinese, "Pay: CNY 4,000 / month"
    in English (half-width colon and a space: no full-width punctuation in English labels)."""
    return f"{label}: {value}" if _.language == "en" else f"{label}：{value}"


def fair_day(fair: Fair) -> str:
    """A fair's day in the current language: "12月5日（星期六）" / "Sat 5 Dec"."""
    return fair.day_text_en() if _.language == "en" else fair.day_text()


def fair_when(fair: Fair) -> str:
    """A fair's day and hours in the current language: "12月5日（星期六）09:00–11:30" /
    "Sat 5 Dec 09:00–11:30"."""
    return fair.when_text_en() if _.language == "en" else fair.when_text()
