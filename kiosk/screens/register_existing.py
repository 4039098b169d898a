"""已登记: the platform already holds a registration for this person (lookup by the salted
hash of the ID number). Offers to update it — the platform keeps one record per person and
answers ``updated`` — instead of creating a second one, or to go on to job matching."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import KioskScreen, load_kv

load_kv(__file__)


class RegisterExistingScreen(KioskScreen):
    registration_no = StringProperty("")
    can_match = BooleanProperty(False)
    prompt_key = "already_registered"

    def on_pre_enter(self, *_args: object) -> None:
        session = self.services.session.current
        self.registration_no = session.extras.get("existing_registration_no", "") if session else ""
        from kiosk.screens.registry import IDENTITY_ROUTES  # registry imports this module

        self.can_match = "match" in IDENTITY_ROUTES

    def update(self) -> None:
        session = self.services.session.current
        if session is not None:
            session.extras["update"] = True
        app = App.get_running_app()
        app.screen("register_form").show_step("phone")
        app.go("register_form", remember=False)

    def match(self) -> None:
        App.get_running_app().require_identity("match")

    def finish(self) -> None:
        App.get_running_app().finish_session("finished")

    def on_card_event(self, event: object) -> bool:
        return True

    def wipe(self) -> None:
        self.registration_no = ""
