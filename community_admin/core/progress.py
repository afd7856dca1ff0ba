"""Progress for long work. One interface, two reporters: `Progress` draws a bar on a terminal (quiet
otherwise) for management commands; `community_admin.jobs.progress.JobProgress` writes a background job's
progress to its row. Code that does the work takes a `ProgressFactory` and never knows which it got."""

import sys
import time
from collections.abc import Callable
from typing import Protocol, TextIO


class ProgressReporter(Protocol):
    label: str
    total: int
    done: int

    def advance(self, n: int = 1) -> None: ...

    def finish(self) -> None: ...


# (label, total) -> reporter. `Progress` itself is one; jobs pass a partial of `JobProgress`.
ProgressFactory = Callable[[str, int], ProgressReporter]


class Progress:
    def __init__(self, label: str, total: int, *, stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()

    def advance(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        if self.interactive:
            filled = int(self.width * self.done / self.total)
            bar = "#" * filled + "-" * (self.width - filled)
            pct = 100 * self.done / self.total
            self.stream.write(f"\r{self.label} [{bar}] {pct:5.1f}% ({self.done}/{self.total})")
            self.stream.flush()

    def finish(self) -> None:
        elapsed = time.monotonic() - self.started
        if self.interactive:
            self.stream.write("\n")
        self.stream.write(f"{self.label}: {self.done} in {elapsed:.1f} s\n")
        self.stream.flush()
