from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community_admin.core import idnumbers
from community_admin.core.idnumbers import InvalidIdNumber

VALID = "11010519491231002X"  # the standard's own example


def test_the_standards_example_is_valid_and_gives_sex_and_birth_date():
    parsed = idnumbers.parse(VALID)
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "F"
    assert parsed.masked == "110105********002X"


def test_lower_case_x_spaces_and_full_width_digits_are_normalised():
    assert idnumbers.parse(" 11010519491231002x ").value == VALID
    assert idnumbers.parse("１１０１０５１９４９１２３１００２Ｘ").value == VALID
    assert idnumbers.parse("110105 19491231 002X").value == VALID


def test_a_15_digit_number_converts_only_when_asked():
    legacy = "110105491231002"
    assert idnumbers.parse(legacy, allow_legacy=True).value == VALID
    with pytest.raises(InvalidIdNumber, match=idnumbers.ERR_LENGTH):
        idnumbers.parse(legacy)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", idnumbers.ERR_EMPTY),
        ("1101051949123100", idnumbers.ERR_LENGTH),
        ("11010519491231002Y", idnumbers.ERR_CHARS),
        ("1101051949123X002X", idnumbers.ERR_CHARS),
        ("110105194902300020", idnumbers.ERR_BIRTH_DATE),
        ("110105194913010020", idnumbers.ERR_BIRTH_DATE),
        ("110105194912310021", idnumbers.ERR_CHECK),
    ],
)
def test_invalid_numbers_say_why(raw, message):
    with pytest.raises(InvalidIdNumber, match=message):
        idnumbers.parse(raw)


def test_a_birth_date_in_the_future_is_refused():
    future = idnumbers.make("110105", date(2030, 1, 1), 1)
    with pytest.raises(InvalidIdNumber, match=idnumbers.ERR_FUTURE):
        idnumbers.parse(future, today=date(2026, 11, 26))
    assert idnumbers.parse(future, today=date(2030, 1, 1)).birth_date == date(2030, 1, 1)


def test_sex_comes_from_the_17th_digit():
    assert idnumbers.parse(idnumbers.make("320102", date(1980, 5, 6), 13)).sex == "M"
    assert idnumbers.parse(idnumbers.make("320102", date(1980, 5, 6), 14)).sex == "F"


def test_mask_never_shows_the_middle():
    assert idnumbers.mask(VALID) == "110105********002X"
    assert idnumbers.mask("123") == "***"
    assert idnumbers.mask("") == ""


valid_numbers = st.builds(
    idnumbers.make,
    st.sampled_from(["110105", "320102", "440305", "510104", "370202"]),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 1, 1)),
    st.integers(min_value=0, max_value=999),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_numbers)
def test_generated_numbers_are_valid(number):
    assert idnumbers.parse(number, today=date(2026, 11, 26)).value == number


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_numbers, st.data())
def test_every_single_character_substitution_is_rejected(number, data):
    position = data.draw(st.integers(min_value=0, max_value=17))
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    typo = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(InvalidIdNumber):
        idnumbers.parse(typo, today=date(2026, 11, 26))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_numbers, st.data())
def test_every_adjacent_transposition_of_different_digits_is_rejected(number, data):
    candidates = [i for i in range(17) if number[i] != number[i + 1] and number[i + 1] != "X"]
    if not candidates:
        return
    i = data.draw(st.sampled_from(candidates))
    swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    with pytest.raises(InvalidIdNumber):
        idnumbers.parse(swapped, today=date(2026, 11, 26))


def test_exhaustively_every_substitution_and_transposition_of_one_number():
    number = VALID
    for i in range(18):
        for c in "0123456789X" if i == 17 else "0123456789":
            if c != number[i]:
                with pytest.raises(InvalidIdNumber):
                    idnumbers.parse(number[:i] + c + number[i + 1 :])
    for i in range(17):
        if number[i] != number[i + 1]:
            with pytest.raises(InvalidIdNumber):
                idnumbers.parse(number[:i] + number[i + 1] + number[i] + number[i + 2 :])


# ID numbers inside other strings: the second-generation disability certificate is the ID number, then the
# category and level digits.

FULL_WIDTH_VALID = "".join(chr(ord(c) + 0xFEE0) for c in VALID)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"{VALID}11", "110105********002X11"),
        (VALID, "110105********002X"),
        (f"残疾证：{VALID}42/2级", "残疾证：110105********002X42/2级"),
        ("11010519491231002711", "110105********002711"),  # a digit check character, still found
        (f"9{VALID}11", "9110105********002X11"),  # the valid number, not the first 18 digits
        ("110105 19491231 002X 11", "110105 ******** 002X 11"),
        ("110105-19491231-002X", "110105-********-002X"),
        (f"{FULL_WIDTH_VALID}１１", FULL_WIDTH_VALID[:6] + "*" * 8 + FULL_WIDTH_VALID[14:] + "１１"),
        ("110105491231002", "110105******002"),  # a legacy 15-digit number: its birth date hidden
        ("11010519491231002", "110105********002"),  # mistyped, one digit short: the date hidden all the same
        (f"{VALID}{VALID}", "110105********002X110105********002X"),
        ("DISAB1234567", "DISAB1234567"),
        ("370200123456", "370200123456"),
        ("R1", "R1"),
        ("", ""),
        ("X" * 20, "X" * 20),
    ],
)
def test_mask_embedded_masks_every_id_number_inside_a_string(text, masked):
    assert idnumbers.mask_embedded(text) == masked


@settings(max_examples=200, deadline=None)
@given(
    number=valid_numbers,
    prefix=st.text(alphabet="残疾证号：:CN -", max_size=4),
    suffix=st.text(alphabet="0123456789/级 -", max_size=4),
)
def test_mask_embedded_never_leaves_an_embedded_number_readable(number, prefix, suffix):
    from tests.leaks import full_id_numbers_in

    masked = idnumbers.mask_embedded(prefix + number + suffix)
    assert masked == prefix + idnumbers.mask(number) + suffix
    assert not full_id_numbers_in(masked)


def test_the_leak_scanner_finds_numbers_inside_others_in_any_width_and_spacing():
    from tests.leaks import full_id_numbers_in

    for text in (f"<td>{VALID}11</td>", f"证号{FULL_WIDTH_VALID}", "110105 19491231 002X", f"a|9{VALID}|b"):
        assert full_id_numbers_in(text) == {VALID}, text
    assert not full_id_numbers_in(f"{idnumbers.mask(VALID)}11 2024-01-01 13800000000")
