"""GB 32100-2015 check character: weights 3^(i-1) mod 31, alphabet without I, O, Z, S, V."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from enterprises.validators import USCC_ALPHABET, USCC_WEIGHTS, uscc_check_character, validate_uscc


def test_it_uses_the_standard_weights():
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341L",  # DOMAIN §3
        "91512081MA62K0260E",  # DOMAIN §3, letters in the organisation code
        "91512081ma62k0260e",  # lower case is accepted and upper-cased
        " 91110000600037341L ",  # surrounding blanks are ignored
    ],
)
def test_it_accepts_valid_codes(code):
    validate_uscc(code)


def test_it_accepts_a_letter_in_position_one():
    # Registration authority 'Y' (other), entity type '1'; check computed by hand:
    # first 17 = Y1150203MA0000001 → the validator's own check character completes it.
    first17 = "Y1150203MA0000001"
    validate_uscc(first17 + uscc_check_character(first17))


def test_it_accepts_check_character_zero():
    # Find an organisation code whose check character is '0' and accept it.
    for n in range(10_000):
        first17 = f"91150203{n:09d}"
        if uscc_check_character(first17) == "0":
            validate_uscc(first17 + "0")
            return
    pytest.fail("no code with check character 0 in the searched range")


def test_it_computes_the_check_by_hand():
    # 91110000600037341: values 9,1,1,1,0,0,0,0,6,0,0,0,3,7,3,4,1
    # Σ value×weight = 9+3+9+27+0+0+0+0+120+0+0+0+24+168+30+120+28 = 538
    # 538 mod 31 = 11; 31 − 11 = 20 → alphabet[20] = 'L'
    assert uscc_check_character("91110000600037341") == "L"


@pytest.mark.parametrize(
    ("code", "code_name"),
    [
        ("91350100M000100Y4Z", "uscc_check"),  # DOMAIN §3: check should be 3
        ("91350100M000100Y43", None),  # the corrected one is valid
        ("9135010", "uscc_length"),
        ("91350100M000100Y4ZZ", "uscc_length"),
        ("91350100M0001O0Y43", "uscc_alphabet"),  # letter O is never used
        ("91A50100M000100Y43", "uscc_region"),  # region code must be digits
        ("", "uscc_length"),
    ],
)
def test_it_rejects_bad_codes_with_a_reason(code, code_name):
    if code_name is None:
        validate_uscc(code)
        return
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    assert info.value.code == code_name


def test_it_names_the_expected_check_character():
    with pytest.raises(ValidationError) as info:
        validate_uscc("91350100M000100Y4Z")
    assert "3" in info.value.messages[0]


@given(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9), st.sampled_from(USCC_ALPHABET))
def test_it_accepts_exactly_one_check_character(org, wrong):
    first17 = f"91150203{org}"
    right = uscc_check_character(first17)
    validate_uscc(first17 + right)
    if wrong != right:
        with pytest.raises(ValidationError):
            validate_uscc(first17 + wrong)
