"""Allocation and compliance-position arithmetic (DOMAIN §4): pure functions, Decimal in,
Decimal out.

No ORM, no request. A year's rules arrive as a `YearRules` value built by a selector from the
editable rule-set rows; nothing here knows a year's numbers, and nothing branches on a year:
the rule set says which correction factors apply and on which electricity basis.

Per generating unit, the benchmark method:

    allocation = B_power × electricity_MWh × F_cooling × F_heat × F_load  +  B_heat × heat_GJ

Intermediate values keep Python's 28 significant digits; `round_t` rounds to 3 places of
tonnes once, at presentation.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
TONNE_PLACES = Decimal("0.001")
RATIO_PLACES = Decimal("0.000001")

# Plausibility bounds shared by the API and the forms (one unit, one year).
MAX_ELECTRICITY_MWH = Decimal("100000000")
MAX_HEAT_GJ = Decimal("1000000000")
MAX_TONNES = Decimal("1000000000")

# The plan's categories (enterprises.AllocationCategory values) by what they burn.
CONVENTIONAL_COAL = frozenset({"coal_above_300", "coal_300_and_below"})
GAS = "gas"
POWER_BENCHMARK = "power_benchmark:"  # MissingRule name prefix, then the category

# The plan's load-factor correction for conventional coal condensing units (DOMAIN §4).
LOAD_FULL = Decimal("0.85")
LOAD_MIDDLE = Decimal("0.80")
LOAD_LOW = Decimal("0.75")


def round_t(value: Decimal) -> Decimal:
    """Tonnes as shown and stored: 3 places, half up."""
    return value.quantize(TONNE_PLACES, rounding=ROUND_HALF_UP)


def round_ratio(value: Decimal) -> Decimal:
    """A ratio as the API gives it: 6 places (0.123456 = 12.3456%), half up."""
    return value.quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


class Basis:
    """Which electricity the power benchmark multiplies (AllocationBasis values)."""

    SUPPLIED = "supplied"
    GENERATED = "generated"


@dataclass(frozen=True)
class YearRules:
    """One year's allocation and compliance rules, as plain values.

    A correction whose coefficient is None does not apply that year; a relief whose threshold
    is None does not exist that year."""

    year: int
    basis: str
    power_benchmarks: Mapping[str, Decimal]  # AllocationCategory value → tCO2/MWh
    heat_benchmark_coal: Decimal | None = None  # tCO2/GJ, coal units of every kind
    heat_benchmark_gas: Decimal | None = None
    air_cooling_factor: Decimal | None = None  # F_cooling of air-cooled coal units
    heat_coefficient_coal: Decimal | None = None  # F_heat = 1 − coefficient × heat ratio
    heat_coefficient_gas: Decimal | None = None
    load_correction: bool = False  # F_load for conventional coal condensing units
    load_correction_chp: bool = False  # ... and for conventional coal CHP units
    gap_cap_ratio: Decimal | None = None  # shortfall at most this share of verified emissions
    gas_exempt: bool = False  # gas units topped up to their verified emissions
    advance_threshold: Decimal | None = None  # shortfall ratio from which advance is open
    advance_share: Decimal | None = None  # at most this share of the shortfall
    advance_source_year: int | None = None
    ccer_cap_ratio: Decimal | None = None  # offsets at most this share of allowances due


class MissingInput(ValueError):
    """The unit lacks a figure the year's rules need: the input's name and why."""

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason
        super().__init__(f"{name}: {reason}")


class MissingRule(ValueError):
    """The year's rule set lacks a value this unit needs (a benchmark, say): its name."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"missing rule {name}")


@dataclass(frozen=True)
class UnitInput:
    category: str  # AllocationCategory value
    cooling: str = "water"  # Cooling value
    electricity_mwh: Decimal = ZERO  # supplied or gross generation, as the rules' basis says
    heat_gj: Decimal = ZERO
    heat_ratio: Decimal = ZERO  # fraction, 0.30 = 30%
    load_factor: Decimal | None = None  # fraction, 0.72 = 72%
    chp: bool = False
    label: str = ""


@dataclass(frozen=True)
class AllocationBreakdown:
    """Every factor and intermediate of one unit's allocation (tonnes unrounded)."""

    label: str
    category: str
    basis: str
    power_benchmark: Decimal
    electricity_mwh: Decimal
    f_cooling: Decimal
    f_heat: Decimal
    f_load: Decimal
    power_t: Decimal
    heat_benchmark: Decimal
    heat_gj: Decimal
    heat_t: Decimal
    allocation_t: Decimal
    applied: tuple[str, ...] = field(default_factory=tuple)  # corrections that applied

    @property
    def factors(self) -> dict[str, Decimal | str]:
        return {
            "basis": self.basis,
            "power_benchmark": self.power_benchmark,
            "electricity_mwh": self.electricity_mwh,
            "f_cooling": self.f_cooling,
            "f_heat": self.f_heat,
            "f_load": self.f_load,
            "power_t": self.power_t,
            "heat_benchmark": self.heat_benchmark,
            "heat_gj": self.heat_gj,
            "heat_t": self.heat_t,
        }


def load_factor_correction(load_factor: Decimal) -> Decimal:
    """F_load by the unit's load factor F (a fraction), DOMAIN §4:
    F ≥ 85% → 1; 80% ≤ F < 85% → 1 + 0.0014 × (85 − 100F);
    75% ≤ F < 80% → 1.007 + 0.0016 × (80 − 100F); F < 75% → 1.015^(16 − 20F)."""
    percent = load_factor * 100
    if load_factor >= LOAD_FULL:
        return ONE
    if load_factor >= LOAD_MIDDLE:
        return ONE + Decimal("0.0014") * (85 - percent)
    if load_factor >= LOAD_LOW:
        return Decimal("1.007") + Decimal("0.0016") * (80 - percent)
    return Decimal("1.015") ** (16 - 20 * load_factor)


def load_correction_applies(rules: YearRules, unit: UnitInput) -> bool:
    """Conventional coal condensing units, and CHP units where the rule set widens it."""
    if not rules.load_correction or unit.category not in CONVENTIONAL_COAL:
        return False
    return rules.load_correction_chp or not unit.chp


def unit_allocation(rules: YearRules, unit: UnitInput) -> AllocationBreakdown:
    """One unit's free allocation with its breakdown. Raises MissingRule when the rule set
    lacks the unit's benchmark, MissingInput when the unit lacks a figure the rules need."""
    is_gas = unit.category == GAS
    benchmark = rules.power_benchmarks.get(unit.category)
    if benchmark is None:
        raise MissingRule(f"{POWER_BENCHMARK}{unit.category}")
    heat_benchmark = rules.heat_benchmark_gas if is_gas else rules.heat_benchmark_coal
    if unit.heat_gj and heat_benchmark is None:
        raise MissingRule("heat_benchmark_gas" if is_gas else "heat_benchmark_coal")
    applied = []

    f_cooling = ONE
    if not is_gas and unit.cooling == "air" and rules.air_cooling_factor is not None:
        f_cooling = rules.air_cooling_factor
        applied.append("f_cooling")

    f_heat = ONE
    coefficient = rules.heat_coefficient_gas if is_gas else rules.heat_coefficient_coal
    if coefficient is not None and unit.heat_ratio:
        f_heat = ONE - coefficient * unit.heat_ratio
        applied.append("f_heat")

    f_load = ONE
    if load_correction_applies(rules, unit):
        if unit.load_factor is None:
            raise MissingInput("load_factor", "the load-factor correction applies to this unit")
        f_load = load_factor_correction(unit.load_factor)
        applied.append("f_load")

    power_t = benchmark * unit.electricity_mwh * f_cooling * f_heat * f_load
    heat_t = (heat_benchmark or ZERO) * unit.heat_gj
    return AllocationBreakdown(
        label=unit.label,
        category=unit.category,
        basis=rules.basis,
        power_benchmark=benchmark,
        electricity_mwh=unit.electricity_mwh,
        f_cooling=f_cooling,
        f_heat=f_heat,
        f_load=f_load,
        power_t=power_t,
        heat_benchmark=heat_benchmark or ZERO,
        heat_gj=unit.heat_gj,
        heat_t=heat_t,
        allocation_t=power_t + heat_t,
        applied=tuple(applied),
    )


def total_allocation(breakdowns: Sequence[AllocationBreakdown]) -> Decimal:
    return sum((item.allocation_t for item in breakdowns), ZERO)


# Compliance position -----------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """An enterprise's compliance position for a year, after the gap cap and the gas
    exemption; eligibility for advance and its ceiling are judged on the capped shortfall."""

    allocation_t: Decimal
    verified_emissions_t: Decimal
    gap_cap_top_up_t: Decimal
    gas_exemption_top_up_t: Decimal
    adjusted_allocation_t: Decimal
    shortfall_t: Decimal
    surplus_t: Decimal
    shortfall_ratio: Decimal | None  # None when nothing was emitted
    advance_threshold: Decimal | None
    advance_eligible: bool
    advance_max_t: Decimal
    advance_source_year: int | None
    ccer_max_t: Decimal

    @property
    def uncapped_shortfall_t(self) -> Decimal:
        return max(self.verified_emissions_t - self.allocation_t, ZERO)

    @property
    def shortfall_percent(self) -> Decimal | None:
        return None if self.shortfall_ratio is None else self.shortfall_ratio * 100

    @property
    def advance_threshold_percent(self) -> Decimal | None:
        return None if self.advance_threshold is None else self.advance_threshold * 100


def compliance_position(
    rules: YearRules,
    *,
    allocation_t: Decimal,
    verified_emissions_t: Decimal,
    gas_only: bool = False,
) -> Position:
    """Allocation against verified emissions under the year's relief rules (DOMAIN §4):
    below (1 − gap cap) × emissions the allocation is topped up to that line; an enterprise
    of gas units only is topped up to its emissions where the rules exempt gas; the shortfall
    ratio is shortfall ÷ verified emissions; advance is open from the threshold, at most the
    share of the shortfall; CCER offsets at most the cap's share of the allowances due."""
    gap_top_up = ZERO
    if rules.gap_cap_ratio is not None:
        floor = (ONE - rules.gap_cap_ratio) * verified_emissions_t
        gap_top_up = max(floor - allocation_t, ZERO)
    gas_top_up = ZERO
    if gas_only and rules.gas_exempt:
        gas_top_up = max(verified_emissions_t - allocation_t - gap_top_up, ZERO)
    adjusted = allocation_t + gap_top_up + gas_top_up
    shortfall = max(verified_emissions_t - adjusted, ZERO)
    surplus = max(adjusted - verified_emissions_t, ZERO)
    ratio = shortfall / verified_emissions_t if verified_emissions_t else None
    eligible = (
        rules.advance_threshold is not None
        and rules.advance_share is not None
        and ratio is not None
        and shortfall > 0
        and ratio >= rules.advance_threshold
    )
    advance_max = shortfall * rules.advance_share if eligible and rules.advance_share else ZERO
    ccer_max = verified_emissions_t * rules.ccer_cap_ratio if rules.ccer_cap_ratio else ZERO
    return Position(
        allocation_t=allocation_t,
        verified_emissions_t=verified_emissions_t,
        gap_cap_top_up_t=gap_top_up,
        gas_exemption_top_up_t=gas_top_up,
        adjusted_allocation_t=adjusted,
        shortfall_t=shortfall,
        surplus_t=surplus,
        shortfall_ratio=ratio,
        advance_threshold=rules.advance_threshold,
        advance_eligible=eligible,
        advance_max_t=advance_max,
        advance_source_year=rules.advance_source_year if eligible else None,
        ccer_max_t=ccer_max,
    )


# Cross-verification -------------------------------------------------------------------------


def figures_differ(values: Sequence[Decimal | str | None], tolerance: Decimal) -> bool:
    """Whether the parties' values of one figure disagree: choices when not all equal, numbers
    when the largest and smallest differ by more than `tolerance` × the largest (a missing
    value differs from an entered one)."""
    present = [value for value in values if value is not None]
    if len(present) < 2:
        return False
    if len(present) < len(values):
        return True
    if any(isinstance(value, str) for value in present):
        return len(set(present)) > 1
    numbers = [Decimal(value) for value in present]
    high, low = max(numbers), min(numbers)
    return high - low > tolerance * abs(high)


# Verification gain --------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowanceGain:
    allocation_before_t: Decimal
    allocation_after_t: Decimal
    emissions_before_t: Decimal
    emissions_after_t: Decimal
    allocation_change_t: Decimal
    emissions_change_t: Decimal  # before − after: a fall in emissions is a gain
    gain_t: Decimal


def allowance_gain(
    *,
    allocation_before_t: Decimal,
    allocation_after_t: Decimal,
    emissions_before_t: Decimal,
    emissions_after_t: Decimal,
) -> AllowanceGain:
    """Gain = (allocation after − before) + (emissions before − after), in t (DOMAIN §6): the
    allocation from cross-verification (preliminary → approved), the emissions from the case
    (reported → final verified)."""
    allocation_change = allocation_after_t - allocation_before_t
    emissions_change = emissions_before_t - emissions_after_t
    return AllowanceGain(
        allocation_before_t=allocation_before_t,
        allocation_after_t=allocation_after_t,
        emissions_before_t=emissions_before_t,
        emissions_after_t=emissions_after_t,
        allocation_change_t=allocation_change,
        emissions_change_t=emissions_change,
        gain_t=allocation_change + emissions_change,
    )


@dataclass(frozen=True)
class GainShare:
    cause: str
    allocation_change_t: Decimal
    emissions_change_t: Decimal

    @property
    def gain_t(self) -> Decimal:
        return self.allocation_change_t + self.emissions_change_t


@dataclass(frozen=True)
class GainSplit:
    shares: tuple[GainShare, ...]  # one per cause, in the order given
    attributed_t: Decimal
    unattributed_t: Decimal  # total gain − attributed: what no cause explains yet


def gain_split(
    total_gain_t: Decimal, components: Iterable[tuple[str, Decimal, Decimal]], causes: Sequence[str]
) -> GainSplit:
    """Sum (cause, allocation change, emissions change) components per cause and compare
    the attributed gain with the case's total."""
    alloc = dict.fromkeys(causes, ZERO)
    emis = dict.fromkeys(causes, ZERO)
    for cause, allocation_change, emissions_change in components:
        alloc[cause] = alloc.get(cause, ZERO) + allocation_change
        emis[cause] = emis.get(cause, ZERO) + emissions_change
    shares = tuple(GainShare(c, alloc[c], emis[c]) for c in alloc)
    attributed = sum((s.gain_t for s in shares), ZERO)
    return GainSplit(shares, attributed, total_gain_t - attributed)


# Relief pre-check ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """One rule an advance application fails, with the numbers it was judged on."""

    code: str  # no_advance_rule | no_position | no_shortfall | below_threshold | above_maximum
    values: Mapping[str, Decimal | int | str | None] = field(default_factory=dict)


def advance_refusals(
    rules: YearRules, position: Position | None, requested_t: Decimal
) -> list[Refusal]:
    """Why an allowance advance of `requested_t` may not be asked for (empty: it may): the
    year's rules must have an advance; the position must be known; the shortfall ratio after
    the gap cap must reach the threshold; the request at most the share of that shortfall."""
    if rules.advance_threshold is None or rules.advance_share is None:
        return [Refusal("no_advance_rule", {"year": rules.year})]
    if position is None:
        return [Refusal("no_position", {"year": rules.year})]
    if position.shortfall_t <= 0 or position.shortfall_ratio is None:
        return [Refusal("no_shortfall", {"surplus_t": position.surplus_t})]
    refusals = []
    if position.shortfall_ratio < rules.advance_threshold:
        refusals.append(
            Refusal(
                "below_threshold",
                {"ratio": position.shortfall_ratio, "threshold": rules.advance_threshold},
            )
        )
    elif requested_t > position.advance_max_t:
        refusals.append(
            Refusal(
                "above_maximum",
                {
                    "requested_t": requested_t,
                    "maximum_t": position.advance_max_t,
                    "share": rules.advance_share,
                    "shortfall_t": position.shortfall_t,
                },
            )
        )
    return refusals


# Early warning --------------------------------------------------------------------------------


def projected_year(year_to_date: Decimal, months: int) -> Decimal:
    """A year-to-date figure over `months` months extrapolated to twelve."""
    if months <= 0:
        return ZERO
    return year_to_date * 12 / months


# Compliance cost and savings (DOMAIN §1, §7) -------------------------------------------------

YUAN = Decimal("0.01")


def round_yuan(value: Decimal) -> Decimal:
    """Money is rounded once, to the fen, where it is stated."""
    return value.quantize(YUAN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ComplianceCostBreakdown:
    """履约成本 = emission-reduction costs + allowances bought − allowances sold + fines
    + carbon-asset management fees + other costs (verification, consulting, other)."""

    reduction_yuan: Decimal  # energy conservation + technical transformation
    bought_yuan: Decimal
    sold_yuan: Decimal  # revenue, as a positive amount subtracted
    fines_yuan: Decimal
    management_yuan: Decimal
    other_yuan: Decimal  # verification and consulting fees + other costs
    cost_yuan: Decimal


def compliance_cost(by_category: Mapping[str, Decimal]) -> ComplianceCostBreakdown:
    """The cost from the ledger's sums per category (revenue categories summed negative, as
    the ledger keeps them). Categories: see `models.CostCategory`."""

    def of(*names: str) -> Decimal:
        return sum((by_category.get(name, Decimal(0)) for name in names), Decimal(0))

    reduction = of("energy_conservation", "technical_transformation")
    bought = of("allowances_bought")
    sold = -of("allowances_sold")
    fines = of("fines")
    management = of("asset_management")
    other = of("verification_consulting", "other")
    return ComplianceCostBreakdown(
        reduction_yuan=reduction,
        bought_yuan=bought,
        sold_yuan=sold,
        fines_yuan=fines,
        management_yuan=management,
        other_yuan=other,
        cost_yuan=reduction + bought - sold + fines + management + other,
    )


@dataclass(frozen=True)
class MeasureGains:
    """One enterprise-year's allowance gain by measure, in t (DOMAIN §1), before valuation.

    The measures are disjoint by construction: a verification case's gain already holds the
    allocation change it attributes to its causes, so cross-verification counts only the rest
    of the change between the preliminary and the approved allocation."""

    verification_t: Decimal = Decimal(0)  # the case's gain components (allocation + emissions)
    cross_check_t: Decimal = Decimal(0)  # approved − preliminary, less verification's share
    relief_advance_t: Decimal = Decimal(0)  # advances granted
    relief_individual_t: Decimal = Decimal(0)  # individual relief granted
    assistance_t: Decimal = Decimal(0)  # errors corrected through assistance follow-ups

    def by_measure(self) -> dict[str, Decimal]:
        return {
            "verification": self.verification_t,
            "cross_check": self.cross_check_t,
            "relief_advance": self.relief_advance_t,
            "relief_individual": self.relief_individual_t,
            "assistance": self.assistance_t,
        }


def measure_gains(
    *,
    verification_allocation_t: Decimal,
    verification_emissions_t: Decimal,
    allocation_change_t: Decimal,
    advance_t: Decimal,
    individual_t: Decimal,
    corrected_t: Decimal,
) -> MeasureGains:
    """`allocation_change_t` is the approved − preliminary allocation over the units that
    have both; the verification parts are what the year's cases attribute to their causes."""
    return MeasureGains(
        verification_t=verification_allocation_t + verification_emissions_t,
        cross_check_t=allocation_change_t - verification_allocation_t,
        relief_advance_t=advance_t,
        relief_individual_t=individual_t,
        assistance_t=corrected_t,
    )


def savings_yuan(gain_t: Decimal, price_yuan_per_t: Decimal | None) -> Decimal | None:
    """Savings = gain × carbon price, to the fen; unknown without a price."""
    return None if price_yuan_per_t is None else round_yuan(gain_t * price_yuan_per_t)
