"""Figures on pages. Django's zh-hans format has no thousands separator (and groups by four), so amounts of
money are formatted here: 1,500.00."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """Yuan with thousands separators and two decimals; empty for no value."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{amount:,.2f}"
