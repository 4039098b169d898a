"""The UI-agnostic journey engine (issue 15): journeys declared as data, walked by one engine.

* :mod:`~kiosk.services.journeys.spec` — what a journey declaration is made of;
* :mod:`~kiosk.services.journeys.state` — the session's one typed state object, ``Journey``;
* :mod:`~kiosk.services.journeys.engine` — events in, "show screen X with these values" out;
* :mod:`~kiosk.services.journeys.declared` — one module per journey (``JOURNEY = JourneySpec(…)``).

No Kivy below this line: every rule here is tested headless (``tests/journeys``).
"""
