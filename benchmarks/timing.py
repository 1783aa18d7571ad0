"""Timing helpers shared by the benchmark scripts (run them from any folder)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(fn: Callable[[], object], repeat: int = 5) -> float:
    """The median wall time of ``repeat`` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def report(name: str, ours: float, baseline: float) -> None:
    print(f"{name}: ours {ours:.1f} ms, baseline {baseline:.1f} ms, ratio {ours / baseline:.1f}")
