"""Demonstration data for allocation, loaded by `manage.py seed_demo` after verification's.

For 2021 and 2022, every generating unit of the registry's demo enterprises gets allocation
data and goes through the cross-verification (DOMAIN §1.3) as far as the demo's logins allow:
the bureau's preliminary figures → the verification agency's → the enterprise's review and
confirmation → the bureau's approval. Each step is a service call by the party whose turn it
is, with the login that party would use, and only where that login may see the unit
(`permissions.unit_allocations_for_user`). Where no such login exists the unit waits at that
step; a later run, with the login added, carries it on from there.

The figures are plausible for Baotou's power plants: operating hours and load factor, own use,
heat-supply ratio of CHP units; for 2022 each enterprise's are scaled so that its preliminary
allocation matches the story's (`PRELIMINARY_T`), where its capacity makes that possible. Where
an enterprise's 2022 verification case attributes an allocation change to a cause (heat data,
activity data), the agency's figures for the unit it concerns carry exactly that change, with
the agency's and the enterprise's comments: the gain computed from the records (approved −
preliminary allocation, reported − final verified emissions) adds up to the story's 118,770 t.
Then the 2022 relief applications of the four enterprises DOMAIN §1 names.

The years since, up to last year, follow the story as its rule sets do (from 2023 on gross
generation): the bureau's preliminary figures for every unit, sent to the agencies, where they
wait until the verification demo has cases for those years. The positions of every seeded year
are recomputed, and the current year's projected from the monthly evidence received so far
(the early warning), whenever that evidence has grown since the last projection.

`seed()` is idempotent: what exists is left alone, so a second run writes nothing.
"""

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from baotou_carbon.accounts.models import User
from baotou_carbon.accounts.roles import Role
from enterprises.models import Cooling, Enterprise, GeneratingUnit, OperatingMode
from verification import demo as verification_demo
from verification.selectors import evidence_year_to_date, gain_components

from . import calculations as calc
from . import selectors, services
from .models import (
    CompliancePosition,
    CostCategory,
    CostEntry,
    CrossCheckStatus,
    Party,
    PositionBasis,
    ReliefApplication,
    ReliefKind,
    ReliefStatus,
    UnitAllocation,
)
from .permissions import unit_allocations_for_user

D = Decimal
YEARS = (2021, 2022)  # the story's years, taken through the cross-verification
CASE_YEAR = 2022  # the year of the verification demo's cases


def later_years(today: date) -> list[int]:
    """The years after the story up to last year that have a rule set (from 2023 on the
    generation basis): the bureau's preliminary figures, sent to the agencies, wait there
    until the verification demo has cases for them."""
    return sorted(year for year in selectors.rule_set_years() if YEARS[-1] < year < today.year)


def seeded_years(today: date) -> list[int]:
    return [*YEARS, *later_years(today)]


# Unit figures -------------------------------------------------------------------------------

# Equivalent full-load hours (generation ÷ capacity) a unit runs before its enterprise's duty
# is applied; the load factor follows them from 65% to 90% over 2,600–5,400 h, so operating
# hours (equivalent hours ÷ load factor) fall between 4,000 and 6,000 h.
BASE_HOURS = (D(2900), D(1900))  # lowest, spread
LOW_EQUIVALENT, HIGH_EQUIVALENT = D(2600), D(5400)
LOW_LOAD, HIGH_LOAD = D("0.65"), D("0.90")
# A duty outside these operating hours is not credible for a year: the enterprise is not scaled.
# Below 4,000 h are two public CHP plants whose cases need it (东华, 包头第一热电: some
# 2,200–2,800 h, a heating season's running); above, none.
CREDIBLE_HOURS = (D(2000), D(7500))
OWN_USE = (D("0.05"), D("0.04"))  # station own-use rate: lowest, spread (+1 point air-cooled)
HEAT_RATIO_CHP = (D("0.10"), D("0.25"))  # extraction CHP units: 10–35%
HEAT_RATIO_BACK_PRESSURE = (D("0.25"), D("0.10"))  # back-pressure units: 25–35%
TURBINE_HEAT_RATE_GJ_PER_MWH = D("8.2")  # heat the boiler gives the turbine per MWh generated
MATCH = D("0.0005")  # a 2022 preliminary allocation within 0.05% of the story's
# The story's 2022 preliminary allocations (t) of the verification demo's enterprises, in the
# order of `verification.demo.demo_enterprises()`: its cases are theirs in that order.
PRELIMINARY_T = tuple(
    D(t)
    for t in (
        "4215800",
        "2598200",
        "4660100",
        "1043900",
        "3109400",
        "2391300",
        "1652700",
        "1168300",
    )
)


def _pick(key: str) -> Decimal:
    """A stable number in [0, 1) for `key`: the same demo on every run."""
    return D(int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)) / D(0x100000000)


def _spread(bounds: tuple[Decimal, Decimal], key: str) -> Decimal:
    low, spread = bounds
    return low + spread * _pick(key)


@dataclass(frozen=True)
class UnitFigures:
    """The bureau's figures for one unit and year, and the operating hours behind them."""

    fields: dict[str, Any]
    operating_hours: Decimal


def unit_figures(unit: GeneratingUnit, year: int, duty: Decimal) -> UnitFigures:
    """The unit's figures for the year at the enterprise's duty (1 = its usual year)."""
    key = f"{unit.facility.enterprise.uscc}:{unit.code}"
    year_factor = D("0.96") + D("0.08") * _pick(f"{key}:{year}")
    equivalent = _spread(BASE_HOURS, key) * duty * year_factor
    share = (equivalent - LOW_EQUIVALENT) / (HIGH_EQUIVALENT - LOW_EQUIVALENT)
    load = min(max(LOW_LOAD + (HIGH_LOAD - LOW_LOAD) * share, LOW_LOAD), HIGH_LOAD)
    generated = unit.capacity_mw * equivalent
    own_use = _spread(OWN_USE, f"{key}:own-use") + (D("0.01") if unit.cooling == Cooling.AIR else 0)
    heat_ratio = D(0)
    heat_gj = D(0)
    if unit.operating_mode == OperatingMode.CHP:
        bounds = (
            HEAT_RATIO_BACK_PRESSURE if unit.cooling == Cooling.BACK_PRESSURE else HEAT_RATIO_CHP
        )
        heat_ratio = _spread(bounds, f"{key}:heat").quantize(D("0.000001"))
        heat_gj = generated * TURBINE_HEAT_RATE_GJ_PER_MWH * heat_ratio / (1 - heat_ratio)
    return UnitFigures(
        fields={
            "generated_mwh": generated.quantize(D(1)),
            "supplied_mwh": (generated * (1 - own_use)).quantize(D(1)),
            "heat_gj": heat_gj.quantize(D(1)),
            "heat_ratio": heat_ratio,
            "load_factor": load.quantize(D("0.0001")),
            "cooling": unit.cooling,
            "operating_mode": unit.operating_mode,
        },
        operating_hours=equivalent / load,
    )


def _allocation(rules: calc.YearRules, unit: GeneratingUnit, fields: dict[str, Any]) -> Decimal:
    """What the calculator gives these figures, on the electricity the year's rules allocate
    (supplied, or from 2023 generated)."""
    generated = rules.basis == calc.Basis.GENERATED
    return calc.unit_allocation(
        rules,
        calc.UnitInput(
            category=unit.allocation_category,
            cooling=fields["cooling"],
            electricity_mwh=fields["generated_mwh" if generated else "supplied_mwh"],
            heat_gj=fields["heat_gj"],
            heat_ratio=fields["heat_ratio"],
            load_factor=fields["load_factor"],
            chp=fields["operating_mode"] == OperatingMode.CHP,
        ),
    ).allocation_t


def enterprise_duty(
    units: list[GeneratingUnit], rules: calc.YearRules, year: int, target_t: Decimal | None
) -> Decimal:
    """The duty at which the units' preliminary allocations add up to `target_t` (found by
    bisection: the allocation grows with the duty); 1 without a target, or when reaching it
    would take operating hours no unit runs in a year."""
    if target_t is None:
        return D(1)

    def total(duty: Decimal) -> Decimal:
        return sum((_allocation(rules, u, unit_figures(u, year, duty).fields) for u in units), D(0))

    low, high = D("0.2"), D(4)
    for _step in range(60):
        duty = (low + high) / 2
        reached = total(duty)
        if abs(reached - target_t) <= MATCH * target_t:
            break
        low, high = (duty, high) if reached < target_t else (low, duty)
    else:
        return D(1)
    hours = [unit_figures(u, year, duty).operating_hours for u in units]
    # The demo's gas plant (2 × 120 MW) is given a case of a large coal plant: matching it
    # would take some 25,000 h a year. It keeps its own figures; the gas exemption tops its
    # allocation up to its verified emissions anyway.
    if min(hours) < CREDIBLE_HOURS[0] or max(hours) > CREDIBLE_HOURS[1]:
        return D(1)
    return duty


# Where the agency's figures differ ----------------------------------------------------------

STEP = D("0.001")  # the figures' last place


def _lowest_reaching(target_t: Decimal, allocation_at: Callable[[Decimal], Decimal], low, high):
    """The lowest figure on the STEP grid in [low, high] whose allocation reaches `target_t`
    (bisection: the allocation grows with the figure)."""
    low, high = low.quantize(STEP), high.quantize(STEP)
    if allocation_at(high) < target_t:
        raise RuntimeError(f"no figure up to {high} reaches {target_t} t")
    while high - low > STEP:
        middle = ((low + high) / 2).quantize(STEP)
        if allocation_at(middle) < target_t:
            low = middle
        else:
            high = middle
    return high


def _exactly(rules, unit, fields, target_t: Decimal, figure: str, low, high) -> dict[str, Any]:
    """`fields` with `figure` set so that the unit's allocation is `target_t` to the last place:
    one STEP of the figure moves the allocation by less than one (the benchmarks are below one
    tonne per MWh and per GJ), so the lowest figure reaching it hits it."""

    def allocation_at(value: Decimal) -> Decimal:
        return calc.round_t(_allocation(rules, unit, fields | {figure: value}))

    value = _lowest_reaching(target_t, allocation_at, low, high)
    if allocation_at(value) != target_t:
        raise RuntimeError(f"{unit}: {figure} cannot give exactly {target_t} t")
    return fields | {figure: value}


def _more_heat(rules, unit, fields: dict[str, Any], amount_t: Decimal) -> dict[str, Any]:
    """The bureau's figures with the heat supplied the agency found: more heat, and the
    heat-supply ratio following it, so that the unit's allocation rises by `amount_t`."""
    target = calc.round_t(_allocation(rules, unit, fields)) + amount_t
    power_heat = fields["generated_mwh"] * TURBINE_HEAT_RATE_GJ_PER_MWH

    def with_heat(heat: Decimal) -> dict[str, Any]:
        ratio = (heat / (heat + power_heat)).quantize(D("0.000001"))
        return fields | {"heat_gj": heat, "heat_ratio": ratio}

    def allocation_at(heat: Decimal) -> Decimal:
        return calc.round_t(_allocation(rules, unit, with_heat(heat)))

    heat = _lowest_reaching(target, allocation_at, fields["heat_gj"], fields["heat_gj"] * 3)
    # The ratio as that heat gives it, then the heat to the last place at that ratio.
    return _exactly(rules, unit, with_heat(heat), target, "heat_gj", heat - 1, heat)


def _more_supplied(rules, unit, fields: dict[str, Any], amount_t: Decimal) -> dict[str, Any]:
    """The bureau's figures with the supplied electricity the agency read off the meters, so
    that the unit's allocation rises by `amount_t`."""
    target = calc.round_t(_allocation(rules, unit, fields)) + amount_t
    supplied = fields["supplied_mwh"]
    return _exactly(rules, unit, fields, target, "supplied_mwh", supplied, supplied * 2)


@dataclass(frozen=True)
class Correction:
    """How the agency's figures carry the allocation change a verification case attributes to
    a cause: the figure it corrects, on which unit, and the parties' comments on it."""

    cause: str  # the gain component's cause
    field: str
    unit: Callable[[list[GeneratingUnit]], GeneratingUnit | None]
    change: Callable[[calc.YearRules, GeneratingUnit, dict[str, Any], Decimal], dict[str, Any]]
    agency_text: str  # {unit}, {share}: the unit's code, the figure's change in per cent
    enterprise_text: str


def _first_chp(units: list[GeneratingUnit]) -> GeneratingUnit | None:
    return next((u for u in units if u.operating_mode == OperatingMode.CHP), None)


def _last(units: list[GeneratingUnit]) -> GeneratingUnit | None:
    return units[-1] if units else None


CORRECTIONS: tuple[Correction, ...] = (
    Correction(
        "heat_data",
        "heat_gj",
        _first_chp,
        _more_heat,
        "核查发现 {unit} 对外供汽未计入供热量：按供汽结算单补计后，供热量增加 {share}%，"
        "供热比相应提高。",
        "已补充 2022 年供汽结算单和热量表读数，确认核查机构的供热量和供热比。",
    ),
    Correction(
        "activity_data",
        "supplied_mwh",
        _last,
        _more_supplied,
        "{unit} 12 月供电量按抄表日截取，少计月末关口表电量：按关口表补计后，供电量增加 {share}%。",
        "已补充 12 月关口表抄表记录和电网结算单，确认核查机构的供电量。",
    ),
)


@dataclass(frozen=True)
class Difference:
    """A correction on one unit, by the tonnes the enterprise's case attributes to its cause."""

    correction: Correction
    amount_t: Decimal

    def agency_figures(self, rules, unit, bureau: dict[str, Any]) -> dict[str, Any]:
        return self.correction.change(rules, unit, bureau, self.amount_t)

    def agency_text(self, unit, bureau: dict[str, Any], agency: dict[str, Any]) -> str:
        name = self.correction.field
        share = (agency[name] / bureau[name] - 1) * 100 if bureau[name] else D(0)
        return self.correction.agency_text.format(unit=unit.code, share=f"{share:.1f}")


def differences_by_unit(year: int, units_by_enterprise) -> dict[int, Difference]:
    """unit pk → the correction its agency figures carry: the allocation changes the year's
    verification cases attribute by cause, on the unit the cause concerns."""
    corrections = {c.cause: c for c in CORRECTIONS}
    found: dict[int, Difference] = {}
    for row in gain_components(year=year):
        if not row["allocation_change_t"]:
            continue
        correction = corrections.get(row["cause"])
        units = units_by_enterprise.get(row["enterprise_id"], [])
        unit = correction.unit(units) if correction else None
        if correction is None or unit is None:
            raise RuntimeError(f"no demo correction carries {row} into the allocation data")
        if unit.pk in found:
            raise RuntimeError(f"{unit}: two corrections on one unit")
        found[unit.pk] = Difference(correction, row["allocation_change_t"])
    return found


# Cross-verification ------------------------------------------------------------------------


def _first(users) -> User | None:
    return users.filter(is_active=True).order_by("pk").first()


def _party_login(role: str, unit_allocation: UnitAllocation, **binding) -> User | None:
    """The first active login of `role` (bound as given) that may see the unit allocation."""
    for user in User.objects.filter(role=role, is_active=True, **binding).order_by("pk"):
        if unit_allocations_for_user(user).filter(pk=unit_allocation.pk).exists():
            return user
    return None


def _carry_on(
    unit_allocation: UnitAllocation,
    *,
    bureau: dict[str, Any],
    rules: calc.YearRules,
    difference: Difference | None,
    staff,
    tally: Counter,
) -> int:
    """Take the unit allocation through every step whose party has a login that may act:
    how many steps it took."""
    enterprise_id = unit_allocation.unit.facility.enterprise_id
    S = CrossCheckStatus
    steps = 0
    while unit_allocation.status != S.APPROVED:
        status = unit_allocation.status
        if status == S.PRELIMINARY:
            if not unit_allocation.figures.filter(party=Party.BUREAU).exists():
                services.party_figures_save(
                    unit_allocation=unit_allocation, fields=bureau, actor=staff
                )
                tally["partyfigures created"] += 1
            unit_allocation = services.unit_allocation_advance(
                unit_allocation=unit_allocation,
                to=S.AGENCY,
                actor=staff,
                note="内部初算完成，送核查机构核对。",
            )
        elif status == S.AGENCY:
            agency = _party_login(Role.AGENCY, unit_allocation)
            if agency is None:
                # Only an agency with a case for the enterprise and year may see the unit: the
                # demo has no 2021 cases, and the second agency of the 2022 cases no login.
                # The unit waits with the agency.
                tally["unitallocation waiting for an agency login"] += 1
                return steps
            if not unit_allocation.figures.filter(party=Party.AGENCY).exists():
                unit = unit_allocation.unit
                figures = difference.agency_figures(rules, unit, bureau) if difference else bureau
                services.party_figures_save(
                    unit_allocation=unit_allocation, fields=figures, actor=agency
                )
                tally["partyfigures created"] += 1
                if difference:
                    services.discrepancy_comment_add(
                        unit_allocation=unit_allocation,
                        field=difference.correction.field,
                        text=difference.agency_text(unit, bureau, figures),
                        actor=agency,
                    )
                    tally["discrepancycomment created"] += 1
            unit_allocation = services.unit_allocation_advance(
                unit_allocation=unit_allocation,
                to=S.ENTERPRISE,
                actor=agency,
                note="三方核对：核查机构数据已录入，请企业复核。",
            )
        elif status == S.ENTERPRISE:
            enterprise = _party_login(Role.ENTERPRISE, unit_allocation, enterprise_id=enterprise_id)
            if enterprise is None:
                # Only the enterprise's own login reviews its figures; this one has none.
                tally["unitallocation waiting for an enterprise login"] += 1
                return steps
            if (
                difference
                and not unit_allocation.comments.filter(
                    party=Party.ENTERPRISE, field=difference.correction.field
                ).exists()
            ):
                services.discrepancy_comment_add(
                    unit_allocation=unit_allocation,
                    field=difference.correction.field,
                    text=difference.correction.enterprise_text,
                    actor=enterprise,
                )
                tally["discrepancycomment created"] += 1
            unit_allocation = services.unit_allocation_advance(
                unit_allocation=unit_allocation,
                to=S.CONFIRMED,
                actor=enterprise,
                note="企业复核确认。",
            )
        else:  # confirmed
            unit_allocation = services.unit_allocation_advance(
                unit_allocation=unit_allocation,
                to=S.APPROVED,
                actor=staff,
                note="三方核对一致，核定配额。",
            )
        tally[f"step to {unit_allocation.status} created"] += 1
        steps += 1
    return steps


def seed_allocations(*, years: list[int], staff, tally: Counter) -> None:
    units_by_enterprise: dict[int, list[GeneratingUnit]] = {}
    for unit in GeneratingUnit.objects.select_related("facility__enterprise").order_by(
        "facility__enterprise_id", "facility_id", "code", "pk"
    ):
        units_by_enterprise.setdefault(unit.facility.enterprise_id, []).append(unit)
    # The story's preliminary allocations of the enterprises with a verification case.
    targets = dict(
        zip(
            (e.pk for e in verification_demo.demo_enterprises()),
            PRELIMINARY_T,
            strict=False,
        )
    )
    for year in years:
        rules = selectors.rules_for_year(year)
        if rules is None:
            raise RuntimeError(f"allocation demo needs the {year} rule set (migration 0002)")
        differences = differences_by_unit(year, units_by_enterprise)
        for enterprise_id, units in units_by_enterprise.items():
            existing = {
                a.unit_id: a
                for a in UnitAllocation.objects.filter(year=year, unit__in=units).select_related(
                    "unit__facility__enterprise"
                )
            }
            if len(existing) == len(units) and all(
                a.status == CrossCheckStatus.APPROVED for a in existing.values()
            ):
                tally["unitallocation unchanged"] += len(units)
                continue
            target = targets.get(enterprise_id) if year == CASE_YEAR else None
            duty = enterprise_duty(units, rules, year, target)
            for unit in units:
                unit_allocation = existing.get(unit.pk)
                if unit_allocation is None:
                    unit_allocation = services.unit_allocation_create(
                        unit=unit, year=year, actor=staff
                    )
                    tally["unitallocation created"] += 1
                steps = _carry_on(
                    unit_allocation,
                    bureau=unit_figures(unit, year, duty).fields,
                    rules=rules,
                    difference=differences.get(unit.pk),
                    staff=staff,
                    tally=tally,
                )
                if unit.pk in existing and not steps:
                    tally["unitallocation unchanged"] += 1  # waiting where it was


# Relief ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoRelief:
    name_zh: str
    kind: str
    status: str  # submitted, forwarded or granted
    reason: str
    document: str
    decision_reference: str = ""
    decided_on: date | None = None


ADVANCE_REASON = (
    "受电解铝产品价格下行和电煤价格高位影响，2022 年企业经营亏损，自备电厂配额缺口较大，"
    "现金流难以承担全部缺口的购买成本，申请预支 2023 年度配额用于 2022 年度清缴。"
)
RELIEFS: tuple[DemoRelief, ...] = (
    DemoRelief(
        "包头铝业有限公司",
        ReliefKind.ADVANCE,
        ReliefStatus.GRANTED,
        ADVANCE_REASON,
        "经营困难说明.pdf",
        "内生态环境发〔2023〕186号",
        date(2023, 10, 26),
    ),
    DemoRelief(
        "内蒙古希铝新材料科技有限公司",
        ReliefKind.ADVANCE,
        ReliefStatus.FORWARDED,
        ADVANCE_REASON,
        "经营困难说明.pdf",
    ),
    # The verification demo has no 2022 case for 白云选矿 (its eight cases go to other
    # enterprises), so its position is unknown and an advance would fail the pre-check
    # ("no position"): it applies for individual relief instead (see `_kind`).
    DemoRelief(
        "白云鄂博选矿有限责任公司",
        ReliefKind.ADVANCE,
        ReliefStatus.SUBMITTED,
        "选矿生产用电用热依赖自备电厂，2022 年稀土精矿市场波动导致经营困难，申请配额纾困。",
        "经营困难说明.pdf",
    ),
    DemoRelief(
        "包钢集团热电有限责任公司",
        ReliefKind.INDIVIDUAL,
        ReliefStatus.GRANTED,
        "企业承担包头市昆都仑区、青山区约 2,600 万平方米居民集中供热任务，供热价格长期倒挂，"
        "2022 年配额缺口无力全部购买，申请个性化纾困。",
        "民生供热任务说明.pdf",
        "内生态环境发〔2023〕203号",
        date(2023, 11, 10),
    ),
)
# What is asked for: an advance a share of the largest advance (under the 50% ceiling), an
# individual relief a share of the shortfall, or a fixed figure where no position is known.
ADVANCE_REQUEST_SHARE = D("0.9")
INDIVIDUAL_REQUEST_SHARE = D("0.25")
INDIVIDUAL_REQUEST_WITHOUT_POSITION_T = D("18000")
INDIVIDUAL_GRANT_SHARE = D("0.8")


def _demo_pdf(label: str) -> bytes:
    return f"%PDF-1.4\n% {label}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".encode()


def _thousands(value: Decimal) -> Decimal:
    return (value / 1000).quantize(D(1), rounding=ROUND_DOWN) * 1000


def _kind_and_request(demo: DemoRelief, enterprise: Enterprise) -> tuple[str, Decimal]:
    """The kind applied for and the tonnes asked, from the enterprise's position now."""
    check = services.relief_precheck(
        enterprise_id=enterprise.pk, year=CASE_YEAR, kind=demo.kind, requested_t=D(1)
    )
    position = check["position"]
    if position is None:
        return ReliefKind.INDIVIDUAL, INDIVIDUAL_REQUEST_WITHOUT_POSITION_T
    if demo.kind == ReliefKind.ADVANCE:
        if not position.advance_eligible:
            raise RuntimeError(f"{demo.name_zh}: the 2022 position does not qualify for advance")
        return ReliefKind.ADVANCE, _thousands(position.advance_max_t * ADVANCE_REQUEST_SHARE)
    return ReliefKind.INDIVIDUAL, _thousands(position.shortfall_t * INDIVIDUAL_REQUEST_SHARE)


def seed_relief(*, staff, tally: Counter) -> None:
    for demo in RELIEFS:
        enterprise = Enterprise.objects.get(name_zh=demo.name_zh)
        if ReliefApplication.objects.filter(enterprise=enterprise, year=CASE_YEAR).exists():
            tally["reliefapplication unchanged"] += 1
            continue
        # The enterprise drafts and submits with its own login; for one without a login the
        # bureau files it on its behalf, as it did for these four (DOMAIN §1).
        applicant = _first(User.objects.filter(role=Role.ENTERPRISE, enterprise=enterprise))
        applicant = applicant or staff
        kind, requested = _kind_and_request(demo, enterprise)
        application = services.relief_create(
            enterprise=enterprise,
            year=CASE_YEAR,
            kind=kind,
            requested_t=requested,
            reason=demo.reason,
            actor=applicant,
        )
        services.relief_document_add(
            application=application,
            upload=SimpleUploadedFile(
                demo.document, _demo_pdf(f"{enterprise.uscc} {demo.document}"), "application/pdf"
            ),
            actor=applicant,
        )
        application = services.relief_submit(application=application, actor=applicant)
        if demo.status in {ReliefStatus.FORWARDED, ReliefStatus.GRANTED}:
            application = services.relief_forward(
                application=application,
                note="经初审，材料齐全，符合申请条件，转报自治区生态环境厅。",
                actor=staff,
            )
        if demo.status == ReliefStatus.GRANTED and demo.decided_on is not None:
            granted = (
                requested
                if kind == ReliefKind.ADVANCE
                else _thousands(requested * INDIVIDUAL_GRANT_SHARE)
            )
            services.relief_decide(
                application=application,
                granted=True,
                decision_reference=demo.decision_reference,
                decided_on=demo.decided_on,
                granted_t=granted,
                note="自治区生态环境厅复函同意。",
                actor=staff,
            )
        tally["reliefapplication created"] += 1


# Compliance costs: what the four relief enterprises spent on the 2022 compliance (DOMAIN §1
# lists the cost's terms; the amounts are the demo's own, in yuan).
DEMO_COSTS = (
    (CostCategory.VERIFICATION_CONSULTING, D("86000"), None, "2023年度碳排放核查及咨询服务费"),
    (CostCategory.ENERGY_CONSERVATION, D("1250000"), None, "锅炉燃烧优化节能改造"),
    (CostCategory.ALLOWANCES_BOUGHT, D("1588400"), D("20000"), "全国碳市场购入配额"),
    (CostCategory.ASSET_MANAGEMENT, D("30000"), None, "碳资产管理服务费"),
)


def seed_costs(*, staff, tally: Counter) -> None:
    for demo in RELIEFS:
        enterprise = Enterprise.objects.get(name_zh=demo.name_zh)
        if CostEntry.objects.filter(enterprise=enterprise, year=CASE_YEAR).exists():
            tally["costentry unchanged"] += 1
            continue
        for category, amount, tonnes, description in DEMO_COSTS:
            services.cost_entry_create(
                enterprise=enterprise,
                year=CASE_YEAR,
                category=category,
                amount_yuan=amount,
                quantity_t=tonnes,
                occurred_on=date(CASE_YEAR + 1, 12, 20),
                description=description,
                actor=staff,
            )
            tally["costentry created"] += 1


# Seeding -----------------------------------------------------------------------------------


def _projection_stale(year: int) -> bool:
    """Whether the year's projected positions miss months of evidence received since."""
    received = {
        enterprise_id: ytd.months for enterprise_id, ytd in evidence_year_to_date(year).items()
    }
    projected = dict(
        CompliancePosition.objects.filter(year=year, basis=PositionBasis.PROJECTED).values_list(
            "enterprise_id", "inputs__months"
        )
    )
    return received != projected


def seed(*, actor=None, password: str | None = None, stdout=None) -> Counter:
    """Create the 2021–2022 allocation data through the cross-verification, the bureau's
    preliminary figures of the years since up to last year, the 2022 relief applications, the
    positions, and the current year's projection from the evidence so far; return what
    happened."""
    tally: Counter = Counter()
    staff = _first(User.objects.filter(role=Role.BUREAU_STAFF)) or actor
    if staff is None or not Enterprise.objects.filter(
        Exists(GeneratingUnit.objects.filter(facility__enterprise=OuterRef("pk")))
    ):
        raise RuntimeError(
            "allocation demo needs a staff user and enterprises with units: run the registry, "
            "accounts and verification demos first"
        )
    today = timezone.localdate()
    years = seeded_years(today)
    with transaction.atomic():
        seed_allocations(years=years, staff=staff, tally=tally)
        seed_relief(staff=staff, tally=tally)
        if any(key.endswith("created") for key in tally):
            for year in years:
                tally["complianceposition recomputed"] += services.positions_recompute(year=year)
        else:
            positions = CompliancePosition.objects.filter(
                year__in=years, basis=PositionBasis.VERIFIED
            )
            tally["complianceposition unchanged"] += positions.count()
        if _projection_stale(today.year):
            tally["complianceposition projected"] += services.projected_positions_recompute(
                year=today.year
            )
        seed_costs(staff=staff, tally=tally)
        # The savings snapshot, in-process: what the dashboard shows from the first page.
        for year in services.savings_run_years(today.year):
            tally["savings rows"] += services.savings_recompute(year=year)["rows"]
    by_status = Counter(
        UnitAllocation.objects.filter(year__in=years).values_list("status", flat=True)
    )
    for outcome, count in sorted(tally.items()):
        if stdout is not None:
            stdout.write(f"  {outcome}: {count}")
    if stdout is not None:
        stdout.write(
            "  unit allocations by status: "
            + ", ".join(f"{status} {by_status[status]}" for status in CrossCheckStatus.values)
        )
    return tally
