"""Period keys of a book: "" (no period), "2025" (year), "2025Q1" (quarter), "2025-03" (month)."""

import re
from datetime import date

from django.core.exceptions import ValidationError

from community_admin.ledgers.models import LedgerBook

ERR_PERIOD_FORMAT = "期间：{book}按{period}登记，期间应写作 {example}。"
ERR_PERIOD_FUTURE = "期间：{label}尚未开始。"
ERR_PERIOD_NONE = "期间：该台账不分期，不能指定期间。"

_PATTERNS = {
    LedgerBook.Period.MONTHLY: (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "2025-03"),
    LedgerBook.Period.QUARTERLY: (re.compile(r"^(\d{4})Q([1-4])$"), "2025Q1"),
    LedgerBook.Period.YEARLY: (re.compile(r"^(\d{4})$"), "2025"),
}


def current_key(period: str, today: date) -> str:
    if period == LedgerBook.Period.MONTHLY:
        return f"{today.year}-{today.month:02d}"
    if period == LedgerBook.Period.QUARTERLY:
        return f"{today.year}Q{(today.month - 1) // 3 + 1}"
    if period == LedgerBook.Period.YEARLY:
        return str(today.year)
    return ""


def start_of(period: str, key: str) -> date | None:
    if period == LedgerBook.Period.NONE:
        return None
    pattern, _ = _PATTERNS[period]
    match = pattern.match(key)
    year, part = int(match[1]), int(match[2]) if match.lastindex == 2 else 1
    if period == LedgerBook.Period.QUARTERLY:
        return date(year, 3 * part - 2, 1)
    return date(year, part, 1)


def label(period: str, key: str) -> str:
    if period == LedgerBook.Period.NONE or not key:
        return "长期"
    if period == LedgerBook.Period.MONTHLY:
        return f"{key[:4]}年{int(key[5:])}月"
    if period == LedgerBook.Period.QUARTERLY:
        return f"{key[:4]}年第{key[5]}季度"
    return f"{key}年度"


def clean_key(book: LedgerBook, key: str | None, *, today: date) -> str:
    """The normalised key for `book`; an empty key means the current period. Future periods are refused."""
    key = (key or "").strip()
    if book.period == LedgerBook.Period.NONE:
        if key:
            raise ValidationError({"period": ERR_PERIOD_NONE})
        return ""
    if not key:
        return current_key(book.period, today)
    pattern, example = _PATTERNS[book.period]
    if not pattern.match(key):
        raise ValidationError(
            {
                "period": ERR_PERIOD_FORMAT.format(
                    book=book.name, period=book.get_period_display().removeprefix("按"), example=example
                )
            }
        )
    if start_of(book.period, key) > today:
        raise ValidationError({"period": ERR_PERIOD_FUTURE.format(label=label(book.period, key))})
    return key


def recent_keys(period: str, today: date, count: int = 12) -> list[str]:
    """The current period and the ones before it, newest first (for period pickers)."""
    if period == LedgerBook.Period.NONE:
        return [""]
    keys, year, month = [], today.year, today.month
    while len(keys) < count:
        key = current_key(period, date(year, month, 1))
        if not keys or keys[-1] != key:
            keys.append(key)
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return keys
