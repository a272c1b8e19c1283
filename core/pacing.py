"""Per-destination send pacing: about 1 message/s per Slack channel or Telegram chat, ~30/s per Telegram bot.

Pacing here is per process; the platforms' own 429 answers (with their delay) remain the final word and are
honoured by the sender.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Rate:
    per_destination: float | None = None  # messages per second to one chat/channel
    overall: float | None = None  # messages per second through one platform account


DEFAULT_RATES = {
    "telegram": Rate(per_destination=1.0, overall=30.0),
    "slack": Rate(per_destination=1.0),
    "messenger": Rate(per_destination=1.0, overall=40.0),
}


class Pacer:
    def __init__(self, rates: Mapping[str, Rate] | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.rates = dict(DEFAULT_RATES if rates is None else rates)
        self.clock = clock
        self._next_destination: dict[tuple[str, str], float] = {}
        self._next_overall: dict[str, float] = {}

    def reserve(self, platform: str, destination: str, max_wait: float) -> float:
        """Seconds until a message to `destination` may go. The slot is booked only when the wait is at most
        `max_wait`; a longer wait is for the caller to schedule (and ask again then)."""
        rate = self.rates.get(platform)
        if rate is None:
            return 0.0
        now = self.clock()
        key = (platform, destination)
        start = now
        if rate.per_destination:
            start = max(start, self._next_destination.get(key, now))
        if rate.overall:
            start = max(start, self._next_overall.get(platform, now))
        wait = start - now
        if wait <= max_wait:
            if rate.per_destination:
                self._next_destination[key] = start + 1.0 / rate.per_destination
            if rate.overall:
                self._next_overall[platform] = start + 1.0 / rate.overall
            if len(self._next_destination) > 10_000:
                self._forget_before(now)
        return wait

    def _forget_before(self, now: float) -> None:
        self._next_destination = {k: t for k, t in self._next_destination.items() if t > now}
