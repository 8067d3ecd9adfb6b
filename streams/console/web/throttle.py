"""Login throttling: after too many failed logins for one username or from one address within a window,
further attempts are refused until the window has passed (guessing stays slower than rotating passwords)."""

from __future__ import annotations

from collections import deque


class LoginThrottle:
    def __init__(self, max_failures: int, window_s: float) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}

    def retry_after(self, keys: list[str], now: float) -> float:
        """Seconds until any of `keys` may try again (0: allowed now)."""
        wait = 0.0
        for key in keys:
            times = self._recent(key, now)
            if len(times) >= self.max_failures:
                wait = max(wait, times[0] + self.window_s - now)
        return wait

    def failed(self, keys: list[str], now: float) -> None:
        for key in keys:
            self._failures[key] = self._recent(key, now)
            self._failures[key].append(now)

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        """The key's failures within the window; keys without any are dropped from the table, so a spray
        of made-up usernames does not grow it for longer than the window."""
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            self._failures.pop(key, None)
        return times
