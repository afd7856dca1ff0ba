"""Citizen ID numbers (GB 11643-1999): normalising, validating, converting 15-digit numbers, masking.

An 18-character number is 6 digits of area, 8 of birth date (YYYYMMDD), 3 of sequence (the last one odd for
men, even for women) and a check character by ISO 7064 MOD 11-2."""

import re
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # remainder 0..10 -> check character

ERR_EMPTY = "公民身份号码不能为空。"
ERR_LENGTH = "公民身份号码应为 18 位（或 15 位旧号码）。"
ERR_CHARS = "公民身份号码只能包含数字，最后一位可以是 X。"
ERR_BIRTH_DATE = "公民身份号码中的出生日期无效。"
ERR_FUTURE = "公民身份号码中的出生日期晚于今天。"
ERR_CHECK = "公民身份号码校验位不正确，请核对是否录错。"

_FULL_WIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９Ｘｘ"}


class InvalidIdNumber(ValueError):
    pass


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: date
    sex: str  # "M" or "F"

    @property
    def masked(self) -> str:
        return mask(self.value)


def normalise(raw: str) -> str:
    """Full-width digits to ASCII, spaces removed, x upper-cased."""
    return "".join(str(raw).translate(_FULL_WIDTH).split()).upper()


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def from_legacy(number15: str) -> str:
    """A 15-digit number (born 19xx, no check character) as its 18-character form."""
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + check_char(first17)


def parse(raw: str, *, today: date | None = None, allow_legacy: bool = False) -> IdNumber:
    value = normalise(raw or "")
    if not value:
        raise InvalidIdNumber(ERR_EMPTY)
    if allow_legacy and len(value) == 15 and value.isdigit():
        value = from_legacy(value)
    if len(value) != 18:
        raise InvalidIdNumber(ERR_LENGTH)
    if not (value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        raise InvalidIdNumber(ERR_CHARS)
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(ERR_BIRTH_DATE) from exc
    if born.year < 1880:
        raise InvalidIdNumber(ERR_BIRTH_DATE)
    if born > (today or date.today()):
        raise InvalidIdNumber(ERR_FUTURE)
    if check_char(value[:17]) != value[17]:
        raise InvalidIdNumber(ERR_CHECK)
    return IdNumber(value=value, birth_date=born, sex="M" if int(value[16]) % 2 else "F")


def mask(value: str) -> str:
    """First 6, eight stars, last 4: 110105********123X."""
    if not value:
        return ""
    if len(value) != 18:
        return "*" * len(value)
    return f"{value[:6]}{'*' * 8}{value[-4:]}"


def make(area: str, born: date, sequence: int) -> str:
    """A valid number for generated data: 6-digit area, birth date, 3-digit sequence (odd = man)."""
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


# Characters that may sit inside a number someone typed (110101 19800101 123X) without ending it.
_SEPARATORS = frozenset(" -\u3000")
_NUMBER_CHARS = frozenset("0123456789X")


def mask_embedded(text: str) -> str:
    """`text` with every ID number inside it masked the way `mask` masks one: the birth date hidden, what
    surrounds the number kept. A second-generation disability certificate is the holder's ID number followed by
    category and level: 11010119800101123X11 -> 110101********123X11. A 15-digit (legacy) number keeps its first
    6 and last 3 digits (its birth date is the 6 between). Full-width digits count, and a lone space or hyphen inside a number does not hide it."""
    if not text:
        return text or ""
    chars = list(text)
    for run in _number_runs(text):
        digits = "".join(normalise(text[i]) for i in run)
        for start, stars in _embedded_numbers(digits):
            for k in range(start + 6, start + 6 + stars):
                chars[run[k]] = "*"
    return "".join(chars)


def _number_runs(text: str) -> list[list[int]]:
    """Positions of the digits (and X) of each run of at least 15 of them in `text`."""
    runs, run = [], []
    for i, c in enumerate(text):
        if c.translate(_FULL_WIDTH).upper() in _NUMBER_CHARS:
            run.append(i)
        elif not (
            c in _SEPARATORS
            and run
            and run[-1] == i - 1
            and i + 1 < len(text)
            and text[i + 1].translate(_FULL_WIDTH).upper() in _NUMBER_CHARS
        ):
            if len(run) >= 15:
                runs.append(run)
            run = []
    if len(run) >= 15:
        runs.append(run)
    return runs


def _is_18(window: str) -> bool:
    return len(window) == 18 and window[:17].isdigit() and (window[17].isdigit() or window[17] == "X")


def _parses(value: str) -> bool:
    try:
        parse(value)
    except InvalidIdNumber:
        return False
    return True


def _embedded_numbers(digits: str) -> list[tuple[int, int]]:
    """(start, count of characters to hide after the first 6) of each ID number in a run of digits: an
    18-character number that is valid (birth date, check character) first, any 18-character one next, else
    15 to 17 digits."""
    found, pos = [], 0
    while len(digits) - pos >= 15:
        starts = [s for s in range(pos, len(digits) - 17) if _is_18(digits[s : s + 18])]
        valid = [s for s in starts if _parses(digits[s : s + 18])]
        if valid or starts:
            start, length, stars = (valid or starts)[0], 18, 8
        else:
            legacy = next((s for s in range(pos, len(digits) - 14) if digits[s : s + 15].isdigit()), None)
            if legacy is None:
                break
            # 16 or 17 digits: a mistyped 18-character number, its birth date hidden as in one
            typed = len(re.match(r"\d*", digits[legacy:]).group())
            start, length, stars = (legacy, 15, 6) if typed == 15 else (legacy, typed, 8)
        found.append((start, stars))
        pos = start + length
    return found
