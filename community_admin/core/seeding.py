"""The demo district is built by one command, `seed_district`, from parts: each app may have a
`seed` module with `run(ctx)`; the parts run in INSTALLED_APPS order, so lower layers come first.
Each part must be safe to run again (it skips what is already there)."""

import random
from dataclasses import dataclass, field
from importlib import import_module
from typing import TextIO

from django.apps import apps


@dataclass
class SeedContext:
    scale: str
    seed: int
    stdout: TextIO
    stderr: TextIO
    password: str
    logins: list[tuple[str, str]] = field(default_factory=list)  # (username, what it is)

    def rng(self, part: str) -> random.Random:
        """A generator of its own per part, so adding a part never changes another's data."""
        return random.Random(f"{self.seed}:{part}")

    def say(self, message: str) -> None:
        self.stdout.write(message + "\n")


def seed_parts() -> list[tuple[str, object]]:
    parts = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.seed")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.seed":
                raise
            continue
        parts.append((config.label, module))
    return parts
