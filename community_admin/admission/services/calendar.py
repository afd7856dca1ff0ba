"""The procedure's calendar: lead and decision times in working days (weekends skipped; public holidays are
not modelled)."""

from datetime import date, timedelta

# The district's published procedure: apply about 30 working days before the item should take effect;
# the district decides within 15 working days. Weekends are skipped; public holidays are not modelled.
APPLY_LEAD_WORKING_DAYS = 30
DECISION_WORKING_DAYS = 15


def add_working_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current
