"""What a job's parameters and messages show: never a full ID number. A kind may take a search term (the
person export re-runs the registry's exact ID-number filter on the worker, and again on a retry), so the
full term is kept in `Job.params` while the job may still run; every display masks it (the pages, the API,
the audit row of the start, the admin), and a finished job keeps only the masked copy (services.job_finish)."""

import re
from typing import Any
from urllib.parse import unquote_plus

from community_admin.core import idnumbers

# Fifteen digits or more (full-width ones too), an X where the check character goes, digits after it: an ID
# number alone, an old 15-digit one, or one inside a longer number (the second-generation disability
# certificate number is the holder's ID number followed by category and level).
_ID_RUN = re.compile(r"\d{15,}(?:[XxＸｘ]\d*)?")


def _mask_run(match: re.Match) -> str:
    run = match.group()
    if len(run) == 18:
        return idnumbers.mask(run)
    return f"{run[:6]}{'*' * (len(run) - 10)}{run[-4:]}"


def mask_text(text: str) -> str:
    """`text` with every ID number in it masked. A query string is read decoded (an ID number may be
    percent-encoded, full-width digits always are); text without an ID number is returned unchanged."""
    decoded = unquote_plus(text) if ("%" in text or "+" in text) else text
    if not _ID_RUN.search(decoded):
        return text
    return _ID_RUN.sub(_mask_run, decoded)


def mask_value(value: Any) -> Any:
    """A JSON value (job parameters) with every ID number in its strings, keys and integers masked."""
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        masked = mask_text(str(value))
        return value if masked == str(value) else masked
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {mask_text(str(key)): mask_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(item) for item in value]
    return mask_text(str(value))
