"""Validators for registry identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the 31-character alphabet (no I, O, Z, S, V), values 0..30 in order.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# W_i = 3^(i-1) mod 31 for the first 17 characters.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
USCC_LENGTH = 18


def uscc_check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a code."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Raise ValidationError unless `value` is a well-formed unified social credit code."""
    code = (value or "").strip().upper()
    if len(code) != USCC_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="uscc_length",
            params={"count": len(code)},
        )
    # The 18th character is judged by the check below, which names the expected one.
    bad = sorted({ch for ch in code[:17] if ch not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "A unified social credit code cannot contain %(chars)s (I, O, Z, S and V are never used)."
            ),
            code="uscc_alphabet",
            params={"chars": ", ".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _(
                "Characters 3 to 8 of a unified social credit code are the region code and must be digits."
            ),
            code="uscc_region",
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character is wrong: for this code it should be %(expected)s. Please check for a typo."
            ),
            code="uscc_check",
            params={"expected": expected},
        )
