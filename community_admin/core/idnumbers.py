"""Resident identity numbers (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence
(odd for men, even for women), and an ISO 7064 MOD 11-2 check character.

Kept in the core layer because every app that records people (the registry, staff) needs the same rules."""

from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # remainder 0..10 -> check character
MASK = "********"

ERR_LENGTH = "身份证号码应为 18 位。"
ERR_FORMAT = "身份证号码前 17 位应为数字，最后一位为数字或 X。"
ERR_BIRTH_DATE = "身份证号码中的出生日期无效。"
ERR_FUTURE_BIRTH = "身份证号码中的出生日期晚于今天。"
ERR_CHECK = "身份证号码校验位不正确。"

_FULL_WIDTH = {ord("０") + i: str(i) for i in range(10)} | {ord("Ｘ"): "X", ord("ｘ"): "X"}


class InvalidIdNumber(ValueError):
    pass


def normalise(raw: str) -> str:
    """Full-width digits to ASCII, lower-case x to X, all whitespace (full-width space too) removed."""
    text = raw.translate(_FULL_WIDTH)
    return "".join(text.split()).upper()


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def validate(raw: str, *, today: date | None = None) -> str:
    """The normalised number, or InvalidIdNumber with a message saying what is wrong."""
    number = normalise(raw)
    if len(number) != 18:
        raise InvalidIdNumber(ERR_LENGTH)
    if not number[:17].isascii() or not number[:17].isdigit() or number[17] not in "0123456789X":
        raise InvalidIdNumber(ERR_FORMAT)
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(ERR_BIRTH_DATE) from None
    if born > (today or date.today()):
        raise InvalidIdNumber(ERR_FUTURE_BIRTH)
    if check_char(number[:17]) != number[17]:
        raise InvalidIdNumber(ERR_CHECK)
    return number


def is_valid(raw: str, *, today: date | None = None) -> bool:
    try:
        validate(raw, today=today)
    except InvalidIdNumber:
        return False
    return True


def birth_date(number: str) -> date:
    number = validate(number)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex(number: str) -> str:
    """ "M" or "F": the 17th digit is odd for men."""
    return "M" if int(validate(number)[16]) % 2 else "F"


def mask(number: str) -> str:
    """First 6 and last 4 characters with 8 stars between; anything that is not 18 characters is all stars."""
    number = normalise(number)
    if len(number) != 18:
        return "*" * len(number)
    return f"{number[:6]}{MASK}{number[-4:]}"


def build(*, area: str, born: date, sequence: int) -> str:
    """A valid number from its parts (the demo district's data and the tests use it)."""
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
