"""One module per journey; each defines ``JOURNEY`` (a :class:`~kiosk.services.journeys.spec.
JourneySpec`). :func:`load_journeys` finds them all: adding a journey is adding a module here
(and its screens under ``kiosk/screens/``), nothing else."""

from __future__ import annotations

import importlib
import pkgutil

from kiosk.services.journeys.spec import JourneySpec


def load_journeys() -> dict[str, JourneySpec]:
    """Every declared journey by name, in module-name order.

    Raises:
        ValueError: two modules declare the same journey name.
    """
    found: dict[str, JourneySpec] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        spec = getattr(module, "JOURNEY", None)
        if not isinstance(spec, JourneySpec):
            continue
        if spec.name in found:
            raise ValueError(f"journey {spec.name!r} declared twice ({info.name})")
        found[spec.name] = spec
    return found
