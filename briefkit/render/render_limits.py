"""The limits a template render runs under, apart from the code that enforces them
(`template_limits`, which needs Jinja2): an export found in the run cache names its limits
without loading Jinja2."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SECONDS = 10.0
DEFAULT_MAX_OUTPUT = 20_000_000  # characters; the shipped templates write ~100 kB for 1,000 quotes


@dataclass(frozen=True, slots=True)
class RenderLimits:
    """How long a render may run and how much text it may make (raise both for a very long brief)."""

    seconds: float = DEFAULT_SECONDS
    max_output: int = DEFAULT_MAX_OUTPUT
