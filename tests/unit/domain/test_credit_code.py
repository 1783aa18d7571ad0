"""Unified social credit code (统一社会信用代码, GB 32100-2015) check character."""

from __future__ import annotations

import pytest

from jituan_desktop.domain.credit_code import ALPHABET, check_character, is_valid_credit_code

VALID = "91350100M000100Y43"


def test_a_real_code_is_valid() -> None:
    # GIVEN a code with a correct check character
    # WHEN it is checked  THEN it passes
    assert is_valid_credit_code(VALID)


def test_lower_case_and_surrounding_spaces_are_accepted() -> None:
    assert is_valid_credit_code(f"  {VALID.lower()} ")


def test_the_check_character_is_computed_from_the_first_17() -> None:
    assert check_character(VALID[:17]) == VALID[17]


def test_a_wrong_check_character_is_refused() -> None:
    # GIVEN the valid code with its last character changed
    wrong = VALID[:17] + ("4" if VALID[17] != "4" else "5")
    # THEN it is refused
    assert not is_valid_credit_code(wrong)


@pytest.mark.parametrize("code", ["", VALID[:17], VALID + "0", "9135010OM000100Y43",
                                  "91350100M000100Y4I", "91350100M000100Y4Z", "91350100M00010-Y43"])
def test_wrong_length_or_characters_outside_the_alphabet_are_refused(code: str) -> None:
    assert not is_valid_credit_code(code)


def test_every_single_character_typo_is_detected() -> None:
    # GIVEN every code that differs from a valid one in exactly one of its 18 characters
    for position in range(18):
        for replacement in ALPHABET:
            if replacement == VALID[position]:
                continue
            typo = VALID[:position] + replacement + VALID[position + 1:]
            # THEN none of them passes (31 is prime and no weight is 0 mod 31)
            assert not is_valid_credit_code(typo), typo


def test_the_alphabet_leaves_out_letters_that_look_like_digits() -> None:
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)
