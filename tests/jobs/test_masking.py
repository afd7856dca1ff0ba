"""No full ID number in what a job shows (issue 23, finding 1): alone, inside a longer number (the
disability certificate number), percent-encoded or full-width in a query string."""

from datetime import date
from urllib.parse import quote

import pytest

from community_admin.core import idnumbers
from community_admin.jobs.masking import mask_text, mask_value

ID = idnumbers.make("110105", date(1990, 1, 1), 123)
MASKED = idnumbers.mask(ID)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ID, MASKED),
        (f"id_number={ID}&tag=disabled", f"id_number={MASKED}&tag=disabled"),
        (f"{ID}12", f"{ID[:6]}{'*' * 10}{ID[-2:]}12"),  # a disability certificate number: ID, category, level
        (f"证号{ID}12号", f"证号{ID[:6]}{'*' * 10}{ID[-2:]}12号"),
        (ID[:17] + "x", idnumbers.mask(ID[:17] + "x")),
        ("110105900101123", "110105*****1123"),  # an old 15-digit number
        (f"id_number={quote(ID)}%26", f"id_number={MASKED}&"),
    ],
)
def test_id_numbers_are_masked(text, expected):
    assert mask_text(text) == expected
    assert mask_text(mask_text(text)) == mask_text(text)  # masking twice changes nothing


def test_full_width_and_percent_encoded_numbers_are_masked():
    wide = ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    masked = mask_text("id_number=" + quote(wide))
    assert masked.startswith("id_number=" + wide[:6]) and wide[6:14] not in masked
    assert "*" * 8 in masked


@pytest.mark.parametrize(
    "text", ["", "2026-03", "name=%E5%BC%A0%E4%B8%89&tag=veteran", "12345678901234", "a+b", "POLICE-BOOK"]
)
def test_text_without_an_id_number_is_unchanged(text):
    assert mask_text(text) == text


def test_json_values_are_masked_throughout():
    value = {
        "query": f"id_number={ID}",
        "n": int(ID[:17] + "1"),
        "year": 2025,
        "list": [ID, None, True],
        ID: 1,
    }
    masked = mask_value(value)
    assert ID not in repr(masked) and ID[:17] not in repr(masked)
    assert masked["year"] == 2025 and masked["list"][1:] == [None, True]
