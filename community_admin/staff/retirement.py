"""Legal retirement dates from `RetirementRule` data (no ages in code)."""

from datetime import date


def add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    # The 29th–31st of a shorter month fall on its last day.
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise ValueError(day)


def delay_months(birth: date, *, reform_from: date | None, per_step: int | None, maximum: int) -> int:
    """One month for each `per_step` months of birth from `reform_from` (the first cohort already waits one)."""
    if reform_from is None or not per_step or birth < reform_from.replace(day=1):
        return 0
    months = (birth.year - reform_from.year) * 12 + birth.month - reform_from.month
    return min(months // per_step + 1, maximum)


def retirement_date(birth: date, rule) -> date:
    delay = delay_months(
        birth,
        reform_from=rule.reform_from,
        per_step=rule.birth_months_per_step,
        maximum=rule.max_delay_months,
    )
    return add_months(birth, rule.base_age * 12 + delay)


def full_years(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))
