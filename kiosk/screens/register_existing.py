"""已登记: the platform already holds a registration for this person (lookup by the salted
hash of the ID number). Offers to update it — the platform keeps one record per person and
answers ``updated`` — instead of creating a second one, or to go on to job matching."""

from __future__ import annotations

from collections.abc import Mapping

from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class RegisterExistingScreen(KioskScreen):
    registration_no = StringProperty("")
    can_match = BooleanProperty(False)
    prompt_key = "already_registered"

    def show(self, values: Mapping[str, object]) -> None:
        """Values: ``registration_no`` (the platform's number for this person)."""
        self.registration_no = str(values.get("registration_no", ""))
        self.can_match = self.nav is not None and self.nav.has_journey("match")

    def update_registration(self) -> None:
        """更新登记: the form again, from its first step (the platform answers ``updated``)."""
        self.nav.send("update")

    def match(self) -> None:
        self.nav.start("match")

    def finish(self) -> None:
        self.nav.finish("finished")

    def wipe(self) -> None:
        self.registration_no = ""


SCREENS = {"register_existing": RegisterExistingScreen}
