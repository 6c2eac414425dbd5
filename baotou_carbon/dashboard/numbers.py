"""How the dashboard and the briefing print the summary's figures (decimal strings in the
payload): rounded once, here, at presentation.

- tonnes: thousands separators, at most three decimals, trailing zeros dropped (118,770;
  29,615.5);
- yuan: thousands separators and two decimals (9,432,713.40);
- a share (0.933): a percentage with one decimal (93.3%).

A missing figure (None or "") prints as an em dash. The separators are the same in both
languages, so a figure reads the same in the Chinese and the English part of a briefing.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MISSING = "—"
TONNE = Decimal("0.001")
FEN = Decimal("0.01")
TENTH = Decimal("0.1")


def to_decimal(value) -> Decimal | None:
    """A payload's figure as a Decimal; None when it is missing or not a number."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def format_tonnes(value) -> str:
    number = to_decimal(value)
    if number is None:
        return MISSING
    text = f"{number.quantize(TONNE, rounding=ROUND_HALF_UP):,.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_yuan(value) -> str:
    number = to_decimal(value)
    if number is None:
        return MISSING
    return f"{number.quantize(FEN, rounding=ROUND_HALF_UP):,.2f}"


def format_share(value) -> str:
    number = to_decimal(value)
    if number is None:
        return MISSING
    return f"{(number * 100).quantize(TENTH, rounding=ROUND_HALF_UP):,.1f}%"


def format_count(value) -> str:
    number = to_decimal(value)
    if number is None:
        return MISSING
    return f"{number.quantize(Decimal(1), rounding=ROUND_HALF_UP):,.0f}"
