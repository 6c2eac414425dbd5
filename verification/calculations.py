"""Emission accounting and verification arithmetic: pure functions, Decimal in, Decimal out.

No ORM, no request. Year-dependent parameters arrive as a `YearParameters` value built by a
selector from the editable parameter rows; nothing here knows a year's numbers.

Precision: intermediate values keep Python's default 28 significant digits; the CO2/C ratio is
`Decimal(44) / Decimal(12)`. Results are rounded once, to 3 places of tonnes, by `round_t` at
presentation (the tests pin both the unrounded and the rounded figures).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CO2_PER_CARBON = Decimal(44) / Decimal(12)
TONNE_PLACES = Decimal("0.001")
ZERO = Decimal(0)

# Plausibility bounds shared by the API and the forms: anything outside is a typing error
# (a wrong unit, a misplaced decimal point), never a real value for one fuel line or month.
MAX_CONSUMPTION_T = Decimal("10000000")  # 10 Mt of fuel in one line
MIN_NCV_GJ_PER_T = Decimal("2")
MAX_NCV_GJ_PER_T = Decimal("60")  # natural gas by mass is about 48–50
MIN_CARBON_CONTENT = Decimal("0.005")  # tC/GJ
MAX_CARBON_CONTENT = Decimal("0.05")
MAX_ELECTRICITY_MWH = Decimal("10000000")
MAX_HEAT_GJ = Decimal("100000000")


def round_t(value: Decimal) -> Decimal:
    """Tonnes as shown and stored: 3 places, half up."""
    return value.quantize(TONNE_PLACES, rounding=ROUND_HALF_UP)


class MissingParameter(ValueError):
    """The year's parameter rows lack a value the calculation needs: its kind (a
    ParameterKind value), the fuel it is for, and the index of the fuel line that needs it
    (None for the grid factor, which the purchased electricity needs)."""

    def __init__(self, kind: str, fuel: str = "", line: int | None = None):
        self.kind = kind
        self.fuel = fuel
        self.line = line
        super().__init__(f"missing {kind} {fuel}".strip())


@dataclass(frozen=True)
class YearParameters:
    year: int
    default_carbon_content: Mapping[str, Decimal] = field(default_factory=dict)
    oxidation_rate: Mapping[str, Decimal] = field(default_factory=dict)
    grid_factor: Decimal | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.default_carbon_content or self.oxidation_rate or self.grid_factor)


def missing_parameters(
    params: YearParameters,
    fuels: Iterable[tuple[str, Decimal | None]],
    purchased_mwh: Decimal = ZERO,
) -> list[MissingParameter]:
    """Which of the year's parameters a calculation would lack, the one statement of the rule
    (the calculator page, the API and the reports all ask here): per fuel line, given as
    (fuel, measured carbon content or None), its oxidation rate and, unless measured, its
    default carbon content; the grid factor when electricity was purchased."""
    gaps = []
    for index, (fuel, measured) in enumerate(fuels):
        if measured is None and fuel not in params.default_carbon_content:
            gaps.append(MissingParameter("default_carbon_content", fuel, line=index))
        if fuel not in params.oxidation_rate:
            gaps.append(MissingParameter("oxidation_rate", fuel, line=index))
    if purchased_mwh and params.grid_factor is None:
        gaps.append(MissingParameter("grid_factor"))
    return gaps


@dataclass(frozen=True)
class FuelInput:
    fuel: str
    consumption_t: Decimal
    ncv_gj_per_t: Decimal
    carbon_content_tc_per_gj: Decimal | None  # None: not measured, the year's default applies
    label: str = ""


@dataclass(frozen=True)
class FuelEmission:
    fuel: str
    label: str
    consumption_t: Decimal
    ncv_gj_per_t: Decimal
    carbon_content_tc_per_gj: Decimal
    carbon_content_measured: bool
    oxidation_rate: Decimal
    heat_gj: Decimal  # FC × NCV
    carbon_t: Decimal  # heat × CC × OF
    emissions_t: Decimal  # carbon × 44/12, unrounded


@dataclass(frozen=True)
class ElectricityEmission:
    purchased_mwh: Decimal
    grid_factor: Decimal
    emissions_t: Decimal


@dataclass(frozen=True)
class EmissionBreakdown:
    year: int
    fuels: tuple[FuelEmission, ...]
    electricity: ElectricityEmission
    combustion_t: Decimal
    indirect_t: Decimal
    total_t: Decimal

    @property
    def measured_share(self) -> Decimal:
        """Share of the fuel heat whose carbon content was measured (0–1)."""
        heat = sum((f.heat_gj for f in self.fuels), ZERO)
        if not heat:
            return ZERO
        return sum((f.heat_gj for f in self.fuels if f.carbon_content_measured), ZERO) / heat


def fuel_emissions(line: FuelInput, params: YearParameters) -> FuelEmission:
    """E = FC × NCV × CC × OF × 44/12 (DOMAIN §5); CC is the year's default when not measured."""
    gaps = missing_parameters(params, [(line.fuel, line.carbon_content_tc_per_gj)])
    if gaps:
        raise gaps[0]
    measured = line.carbon_content_tc_per_gj is not None
    carbon_content = (
        line.carbon_content_tc_per_gj
        if line.carbon_content_tc_per_gj is not None
        else params.default_carbon_content[line.fuel]
    )
    oxidation = params.oxidation_rate[line.fuel]
    heat = line.consumption_t * line.ncv_gj_per_t
    carbon = heat * carbon_content * oxidation
    return FuelEmission(
        fuel=line.fuel,
        label=line.label,
        consumption_t=line.consumption_t,
        ncv_gj_per_t=line.ncv_gj_per_t,
        carbon_content_tc_per_gj=carbon_content,
        carbon_content_measured=measured,
        oxidation_rate=oxidation,
        heat_gj=heat,
        carbon_t=carbon,
        emissions_t=carbon * CO2_PER_CARBON,
    )


def electricity_emissions(purchased_mwh: Decimal, params: YearParameters) -> ElectricityEmission:
    """Indirect emissions: purchased MWh × the year's grid factor."""
    gaps = missing_parameters(params, [], purchased_mwh)
    if gaps:
        raise gaps[0]
    if params.grid_factor is None:  # nothing purchased: nothing to multiply
        return ElectricityEmission(purchased_mwh, ZERO, ZERO)
    return ElectricityEmission(
        purchased_mwh=purchased_mwh,
        grid_factor=params.grid_factor,
        emissions_t=purchased_mwh * params.grid_factor,
    )


def emissions(
    *, params: YearParameters, fuels: Iterable[FuelInput], purchased_mwh: Decimal = ZERO
) -> EmissionBreakdown:
    lines = tuple(fuel_emissions(line, params) for line in fuels)
    electricity = electricity_emissions(purchased_mwh, params)
    combustion = sum((line.emissions_t for line in lines), ZERO)
    return EmissionBreakdown(
        year=params.year,
        fuels=lines,
        electricity=electricity,
        combustion_t=combustion,
        indirect_t=electricity.emissions_t,
        total_t=combustion + electricity.emissions_t,
    )


# Verification: conservative estimate -------------------------------------------------------


def final_verified_emissions(
    verified_t: Decimal, conservative_estimates_t: Iterable[Decimal]
) -> Decimal:
    """Verified emissions plus the conservative estimates of findings left unrectified
    (DOMAIN §6: non-conformities not corrected are estimated conservatively)."""
    return verified_t + sum(conservative_estimates_t, ZERO)


# Working days ---------------------------------------------------------------------------


def is_working_day(day: date, *, holidays: set[date], working_weekend_days: set[date]) -> bool:
    """Monday to Friday unless a public holiday; a weekend day the State Council made a
    working day (调休) counts as one."""
    if day in working_weekend_days:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(
    start: date, days: int, *, holidays: set[date], working_weekend_days: set[date]
) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, holidays=holidays, working_weekend_days=working_weekend_days):
            remaining -= 1
    return current


# Monthly evidence: deadlines and the state of a month ------------------------------------


@dataclass(frozen=True)
class EvidenceDeadlines:
    month_end: date
    enterprise: date  # the enterprise submits by this day (inclusive)
    review: date  # the district or bureau reviews by this day
    ceiling: date  # the national ceiling


def month_end(year: int, month: int) -> date:
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def evidence_deadlines(
    year: int, month: int, *, enterprise_days: int, review_days: int, ceiling_days: int
) -> EvidenceDeadlines:
    """Calendar days after the month's last day (DOMAIN §5); review after the enterprise's
    deadline; neither later than the national ceiling."""
    end = month_end(year, month)
    ceiling = end + timedelta(days=ceiling_days)
    enterprise = min(end + timedelta(days=enterprise_days), ceiling)
    review = min(enterprise + timedelta(days=review_days), ceiling)
    return EvidenceDeadlines(end, enterprise, review, ceiling)


class MonthState:
    """What the completeness board shows for an enterprise and month."""

    NOT_DUE = "not_due"  # the month has not ended
    OPEN = "open"  # month ended, nothing submitted, deadline ahead
    MISSING = "missing"  # nothing submitted and the deadline passed
    ON_TIME = "on_time"  # submitted by the deadline, awaiting review
    LATE = "late"  # submitted after the deadline, awaiting review
    RETURNED = "returned"
    ACCEPTED = "accepted"


@dataclass(frozen=True)
class MonthCell:
    state: str
    deadline: date | None  # the deadline the countdown runs to, if one is running
    days_left: int | None  # negative: overdue by that many days
    late: bool = False  # first submission after the enterprise deadline
    days_late: int | None = None  # by how many days the first submission missed it (fixed)

    @property
    def awaiting_review(self) -> bool:
        return self.state in (MonthState.ON_TIME, MonthState.LATE)


def month_cell(
    *,
    deadlines: EvidenceDeadlines,
    today: date,
    status: str | None,
    first_submitted_on: date | None,
) -> MonthCell:
    """The board cell for one month: its state and the countdown to the deadline that matters
    now (the enterprise's while nothing is in or it was returned, the reviewer's while it waits)."""
    days_late = None
    if first_submitted_on is not None and first_submitted_on > deadlines.enterprise:
        days_late = (first_submitted_on - deadlines.enterprise).days
    late = days_late is not None
    if status is None:
        if today <= deadlines.month_end:
            return MonthCell(MonthState.NOT_DUE, None, None)
        days = (deadlines.enterprise - today).days
        state = MonthState.OPEN if days >= 0 else MonthState.MISSING
        target = deadlines.enterprise if days >= 0 else deadlines.ceiling
        return MonthCell(state, target, (target - today).days)
    if status == "accepted":
        return MonthCell(MonthState.ACCEPTED, None, None, late, days_late)
    if status == "returned":
        # The corrected evidence is due by the national ceiling at the latest.
        target = deadlines.ceiling
        return MonthCell(MonthState.RETURNED, target, (target - today).days, late, days_late)
    state = MonthState.LATE if late else MonthState.ON_TIME
    return MonthCell(state, deadlines.review, (deadlines.review - today).days, late, days_late)


# Annual reports --------------------------------------------------------------------------

MONTHS = tuple(range(1, 13))


def missing_months(present: Iterable[int]) -> list[int]:
    """The months of the year not reported (a report covers all twelve)."""
    have = set(present)
    return [m for m in MONTHS if m not in have]


@dataclass(frozen=True)
class FieldDifference:
    key: tuple  # (unit id, month, field name)
    before: Decimal | None
    after: Decimal | None


def differences(
    before: Mapping[tuple, Decimal | None], after: Mapping[tuple, Decimal | None]
) -> list[FieldDifference]:
    """Every (unit, month, field) whose value differs between two versions, in key order."""
    keys = sorted(set(before) | set(after), key=lambda k: tuple(str(p) for p in k))
    return [
        FieldDifference(k, before.get(k), after.get(k))
        for k in keys
        if before.get(k) != after.get(k)
    ]


# Agency scorecards -----------------------------------------------------------------------


class Timeliness:
    """Whether a verification case kept its statutory periods (see `case_timeliness`)."""

    NOT_DUE = "not_due"  # a period the case depends on is still running
    ON_TIME = "on_time"  # every period that applied to it was kept
    LATE = "late"  # a period ran out before its step was taken


def case_timeliness(
    *,
    today: date,
    objection_deadline: date | None,
    closed: bool,
    lodged_on: date | None,
    decided_on: date | None,
    re_review_deadline: date | None,
) -> str:
    """The statutory periods of a case are the objection period after the enterprise is
    notified and, when it objects, the re-review period after the objection is lodged (both
    in working days, DOMAIN §6). No period runs before notification (`objection_deadline`
    None): the case is not due. Without an objection it is on time once the objection period
    is over or the case is closed (an objection out of time is refused, so none can be late),
    not due before. With one it is on time when decided by the re-review deadline, late when
    decided after it or still undecided once it has passed, not due while it runs."""
    if objection_deadline is None:
        return Timeliness.NOT_DUE
    if lodged_on is None:
        return Timeliness.ON_TIME if closed or today > objection_deadline else Timeliness.NOT_DUE
    if re_review_deadline is None:
        raise ValueError("an objection has a re-review deadline")
    if decided_on is not None:
        return Timeliness.ON_TIME if decided_on <= re_review_deadline else Timeliness.LATE
    return Timeliness.LATE if today > re_review_deadline else Timeliness.NOT_DUE


PERCENT_PLACES = Decimal("0.1")
RATIO_PLACES = Decimal("0.01")


def percent(share: Decimal) -> Decimal:
    """A share as shown: per cent to one place, half up."""
    return (share * 100).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def round_ratio(value: Decimal) -> Decimal:
    """A ratio as shown (findings per case): two places, half up."""
    return value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def ratio(part: int, whole: int) -> Decimal | None:
    """`part` ÷ `whole` unrounded, or None when there is nothing to divide by."""
    if not whole:
        return None
    return Decimal(part) / Decimal(whole)
