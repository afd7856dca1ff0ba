"""The words on a certificate: its body from the type's template, and dates written in Chinese."""

from datetime import date

from community_admin.certificates.models import TEMPLATE_FIELDS, template_fields_used
from community_admin.core import idnumbers

DIGITS = "〇一二三四五六七八九"


def chinese_date(day: date) -> str:
    """2026-05-12 → 二〇二六年五月十二日 (the way dates are written on official letters)."""

    def number(n: int) -> str:
        if n < 10:
            return DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("十" if tens == 1 else DIGITS[tens] + "十") + (DIGITS[ones] if ones else "")

    year = "".join(DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{number(day.month)}月{number(day.day)}日"


def unknown_fields(template_text: str) -> set[str]:
    return template_fields_used(template_text) - set(TEMPLATE_FIELDS)


def render_body(template_text: str, *, person, committee, purpose: str, full_id: bool) -> str:
    values = {
        "name": person.name,
        "sex": person.get_sex_display(),
        "birth_date": f"{person.birth_date.year}年{person.birth_date.month}月{person.birth_date.day}日",
        "id_number": person.id_number if full_id else idnumbers.mask(person.id_number),
        "address": f"{committee.street.name}{committee.name}辖区{person.household.address}",
        "committee": committee.name,
        "street": committee.street.name,
        "purpose": purpose or "办理相关事务",
    }
    return template_text.format_map(values)


def masked_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the verification page names nobody."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)
