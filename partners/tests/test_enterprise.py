"""Belgian enterprise numbers: the mod-97 check catches the typos people make, whatever notation they use."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partners.enterprise import (
    enterprise_check_digits,
    format_enterprise_number,
    is_valid_enterprise_number,
    normalise_enterprise_number,
)

# Every first eight digits a real number can have: ten digits in all, the first one 0 or 1.
prefixes = st.integers(min_value=0, max_value=19_999_999).map(lambda n: f"{n:08d}")


def valid_number(prefix: str) -> str:
    return prefix + enterprise_check_digits(prefix)


@pytest.mark.parametrize(
    "written",
    ["0403.448.140", "BE 0403.448.140", "BE0403448140", "be 0403 448 140", "0403448140", "403.448.140", " 0403448140 "],
)
def test_every_usual_notation_of_a_valid_number_is_accepted(written):
    assert is_valid_enterprise_number(written)
    assert normalise_enterprise_number(written) == "0403448140"


@pytest.mark.parametrize(
    "written",
    [
        "0403.448.141",  # wrong check digits
        "2403.448.140",  # ten digits, but the first is neither 0 nor 1
        "0403.448",  # too short
        "0403.448.140.1",  # too long
        "",
        "not a number",
    ],
)
def test_malformed_or_mistyped_numbers_are_rejected(written):
    assert not is_valid_enterprise_number(written)


def test_the_number_is_shown_as_the_kbo_writes_it():
    assert format_enterprise_number("0403448140") == "0403.448.140"


@given(prefixes)
def test_a_number_with_computed_check_digits_is_valid(prefix):
    assert is_valid_enterprise_number(valid_number(prefix))


@given(prefixes, st.integers(min_value=0, max_value=99))
def test_any_other_check_digits_are_invalid(prefix, check):
    number = f"{prefix}{check:02d}"
    assert is_valid_enterprise_number(number) == (number == valid_number(prefix))


@given(prefixes)
def test_check_digits_run_from_01_to_97(prefix):
    assert 1 <= int(enterprise_check_digits(prefix)) <= 97


@given(prefixes, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_a_single_mistyped_digit_is_always_caught(prefix, position, shift):
    number = valid_number(prefix)
    typo = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not is_valid_enterprise_number(typo)


@given(prefixes, st.integers(min_value=0, max_value=6))
def test_two_swapped_neighbouring_digits_are_always_caught(prefix, position):
    number = valid_number(prefix)
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert is_valid_enterprise_number(swapped) == (swapped == number)


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    once = normalise_enterprise_number(text)
    assert normalise_enterprise_number(once) == once


@given(prefixes, st.sampled_from(["", "BE", "BE ", "be"]))
def test_the_formatted_number_normalises_back_to_its_digits(prefix, country):
    number = valid_number(prefix)
    written = country + format_enterprise_number(number)
    assert normalise_enterprise_number(written) == number
    assert is_valid_enterprise_number(written)
