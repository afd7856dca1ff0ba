"""Typed fields of manual entries, checked against the book's column definitions. Every problem is reported
per field (unknown fields included) and nothing is stored unless all fields are valid."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from community_admin.ledgers.models import LedgerBook

ERR_UNKNOWN_FIELD = "该台账没有此栏目。"
ERR_REQUIRED = "必填。"
ERR_TEXT = "应为文字。"
ERR_TOO_LONG = "最多 {limit} 个字。"
ERR_NUMBER = "应为数字。"
ERR_DATE = "应为日期，格式如 2025-03-18。"
ERR_DATE_FUTURE = "日期不能晚于今天。"
ERR_CHOICE = "“{value}”不是可选项，可选：{allowed}。"
ERR_PERSON = "人员不存在于本社区或不在您的管辖范围内。"
ERR_NOT_OBJECT = "条目内容必须是“栏目: 值”的对象。"

DEFAULT_TEXT_LIMIT = 200


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_value(column: dict, value, *, today: date):
    """(stored value, error message or None) for one column; the stored value is JSON-ready."""
    kind = column["type"]
    if kind == "text":
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            return None, ERR_TEXT
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        text = text.strip()
        limit = column.get("max_length") or DEFAULT_TEXT_LIMIT
        if len(text) > limit:
            return None, ERR_TOO_LONG.format(limit=limit)
        return text, None
    if kind == "number":
        if isinstance(value, bool):
            return None, ERR_NUMBER
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            return None, ERR_NUMBER
        if not number.is_finite():
            return None, ERR_NUMBER
        return (int(number) if number == number.to_integral_value() else float(number)), None
    if kind == "date":
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        else:
            try:
                day = date.fromisoformat(str(value).strip())
            except ValueError:
                return None, ERR_DATE
        if day > today:
            return None, ERR_DATE_FUTURE
        return day.isoformat(), None
    if kind == "choice":
        text = str(value).strip()
        if text not in column["choices"]:
            return None, ERR_CHOICE.format(value=text, allowed="、".join(column["choices"]))
        return text, None
    # person: an id, checked against who the caller may link (see `clean_entry_data`)
    try:
        return int(value), None
    except (TypeError, ValueError):
        return None, ERR_PERSON


def clean_fields(book: LedgerBook, data: dict, *, today: date) -> tuple[dict, dict[str, str]]:
    """(stored values, {column key: message}) without the person check; see `clean_entry_data`."""
    columns = {c["key"]: c for c in book.columns}
    errors: dict[str, str] = {key: ERR_UNKNOWN_FIELD for key in data if key not in columns}
    cleaned: dict = {}
    for key, column in columns.items():
        value = data.get(key)
        if _empty(value):
            if column.get("required"):
                errors[key] = ERR_REQUIRED
            continue
        stored, error = clean_value(column, value, today=today)
        if error:
            errors[key] = error
        else:
            cleaned[key] = stored
    return cleaned, errors


def clean_entry_data(book: LedgerBook, data, *, persons, today: date) -> dict:
    """The stored form of `data` for `book`, or ValidationError({column key: message}).
    `persons` is the queryset of people the caller may link (scoped and limited to the committee)."""
    if not isinstance(data, dict):
        raise ValidationError({"data": ERR_NOT_OBJECT})
    cleaned, errors = clean_fields(book, data, today=today)
    person_keys = [c["key"] for c in book.columns if c["type"] == "person" and c["key"] in cleaned]
    if person_keys:
        found = set(persons.filter(pk__in={cleaned[k] for k in person_keys}).values_list("pk", flat=True))
        for key in person_keys:
            if cleaned[key] not in found:
                errors[key] = ERR_PERSON
    if errors:
        raise ValidationError({k: [m] for k, m in errors.items()})
    return cleaned
