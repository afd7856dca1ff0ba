"""The leak scanner: full ID numbers anywhere in what a page, an API answer, an export or a job's file shows,
alone or inside a longer string (a disability certificate is the ID number and two digits), in full-width
digits, or with spaces or hyphens between its digits. Written apart from core.idnumbers.mask_embedded so that a
mistake there is not repeated here."""

import contextlib
import io
import re

from openpyxl import load_workbook

from community_admin.core import idnumbers

_FULL_WIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９Ｘｘ"}
_WINDOW = re.compile(r"(?=(\d{17}[\dX]))")  # every 18-character window, overlapping


def _flat(text: str) -> str:
    text = text.translate(_FULL_WIDTH).upper()
    return re.sub(r"(?<=[\dX])[ \-\u3000](?=[\dX])", "", text)


def full_id_numbers_in(text: str) -> set[str]:
    """Every valid 18-character ID number inside `text`, wherever it sits."""
    found = set()
    for match in _WINDOW.finditer(_flat(text)):
        with contextlib.suppress(idnumbers.InvalidIdNumber):
            found.add(idnumbers.parse(match.group(1)).value)
    return found


def assert_no_full_id(text: str, people=(), *, where: str = "") -> None:
    """No valid ID number at all, and none of `people`'s numbers even in their 15-digit form."""
    flat = _flat(text)
    assert not full_id_numbers_in(text), f"{where} shows full ID numbers {full_id_numbers_in(text)}"
    for person in people:
        number = getattr(person, "id_number", person)
        assert number not in flat, f"{where} shows {number}"
        assert number[:6] + number[8:17] not in flat, f"{where} shows {number} in its 15-digit form"


def xlsx_text(content: bytes) -> str:
    """Every cell of every sheet, one per line."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(v)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    )
