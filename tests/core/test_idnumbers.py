from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from community_admin.core import idnumbers
from community_admin.core.idnumbers import InvalidIdNumber

TODAY = date(2026, 1, 1)
valid_numbers = st.builds(
    lambda area, born, seq: idnumbers.build(area=f"{area:06d}", born=born, sequence=seq),
    st.integers(110000, 659999),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    st.integers(0, 999),
)


def test_a_published_example_is_valid():
    # The standard's own example number (GB 11643-1999, appendix).
    assert idnumbers.validate("11010519491231002X") == "11010519491231002X"
    assert idnumbers.birth_date("11010519491231002X") == date(1949, 12, 31)
    assert idnumbers.sex("11010519491231002X") == "F"


def test_normalisation_of_case_spaces_and_full_width_digits():
    assert idnumbers.validate(" 110105 19491231 002x ") == "11010519491231002X"
    assert idnumbers.validate("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert idnumbers.validate("110105\u300019491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11010519491231002", idnumbers.ERR_LENGTH),
        ("1101051949123100X2", idnumbers.ERR_FORMAT),
        ("110105194902300021", idnumbers.ERR_BIRTH_DATE),
        ("110105194912310021", idnumbers.ERR_CHECK),
    ],
)
def test_each_kind_of_error_is_named(raw, message):
    with pytest.raises(InvalidIdNumber, match=message):
        idnumbers.validate(raw)


def test_a_birth_date_in_the_future_is_refused():
    number = idnumbers.build(area="110105", born=date(2030, 1, 1), sequence=11)
    with pytest.raises(InvalidIdNumber, match=idnumbers.ERR_FUTURE_BIRTH):
        idnumbers.validate(number, today=TODAY)


def test_masking_keeps_the_first_six_and_last_four():
    assert idnumbers.mask("11010519491231002x") == "110105********002X"
    assert idnumbers.mask("123") == "***"


@given(valid_numbers)
def test_built_numbers_are_valid_and_carry_their_birth_date_and_sex(number):
    assert idnumbers.is_valid(number, today=TODAY)
    assert idnumbers.birth_date(number) == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert idnumbers.sex(number) == ("M" if int(number[16]) % 2 else "F")


@given(valid_numbers)
def test_every_single_character_substitution_is_rejected(number):
    for i, original in enumerate(number):
        alphabet = "0123456789X" if i == 17 else "0123456789"
        for other in alphabet:
            if other != original:
                changed = number[:i] + other + number[i + 1 :]
                assert not idnumbers.is_valid(changed, today=TODAY), changed


@given(valid_numbers)
def test_every_adjacent_transposition_of_different_digits_is_rejected(number):
    for i in range(17):
        a, b = number[i], number[i + 1]
        if a != b and a.isdigit() and b.isdigit():
            swapped = number[:i] + b + a + number[i + 2 :]
            assert not idnumbers.is_valid(swapped, today=TODAY), swapped
