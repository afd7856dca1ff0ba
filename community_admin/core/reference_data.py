"""Reference data a district needs whether or not it runs the demo (issue 16): the certificate whitelist and the
national list, the office-space norms and the district's departments, the ledger catalogue, the admission
list's catalogue, this year's pay policy and the retirement rules.

Each app may have a `reference` module with `install(say) -> None`; `install_reference_data` runs them in
INSTALLED_APPS order (lower layers first), each in its own transaction. Every part is idempotent and safe on
every upgrade: it creates what is missing and updates what the published sources say, and leaves what the
bureau has edited since (certificate types, ledger books, list items, an adopted policy) as the bureau left it.
The demo seed runs this first and adds only demo data."""

from collections.abc import Callable

from django.db import transaction

from community_admin.core import audit
from community_admin.core.seeding import app_modules

REVIEW_MARK = "取自调研报告，采用前请核对"


def reference_parts() -> list[tuple[str, object]]:
    return app_modules("reference")


def install_all(say: Callable[[str], None]) -> list[str]:
    """Run every app's part; returns the labels run. One audit row per run names what each part said."""
    said: dict[str, list[str]] = {}
    for label, part in reference_parts():
        lines: list[str] = []

        def tell(message: str, lines=lines) -> None:
            lines.append(message)
            say(message)

        with transaction.atomic():
            part.install(tell)
        said[label] = lines
    audit.record(
        actor=None, actor_name="install_reference_data", action="reference.install", details={"parts": said}
    )
    return list(said)
