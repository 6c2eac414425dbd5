"""Writes of cross-verification: allocation data per unit and year through the three parties.

Each party enters its figures in its turn (the bureau while preliminary, the agency while with
it, the enterprise while under review); each step is `core.workflow.advance`. Sending on
computes the preliminary allocation from the bureau's figures; approval computes the approved
allocation from the enterprise's confirmed figures, and queues the position recompute.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from baotou_carbon.core.audit import save_audited, update_audited
from baotou_carbon.core.workflow import advance, begin
from enterprises.models import GeneratingUnit, OperatingMode

from .. import calculations as calc
from .. import selectors
from ..models import (
    AllocationBasis,
    CrossCheckStatus,
    DiscrepancyComment,
    Party,
    PartyFigures,
    UnitAllocation,
)
from ..permissions import TURN, party_of, unit_allocations_for_user
from .positions import queue_position_recompute
from .savings import queue_savings_recompute

_S = CrossCheckStatus


@transaction.atomic
def unit_allocation_create(*, unit: GeneratingUnit, year: int, actor) -> UnitAllocation:
    """Open a unit's allocation data for a year, starting with the bureau's figures, prefilled
    from the registry's cooling and operating mode."""
    unit_allocation = save_audited(UnitAllocation(unit=unit, year=year), actor=actor)
    begin(unit_allocation, actor=actor)
    return unit_allocation


@transaction.atomic
def unit_allocations_open(*, year: int, units, actor) -> int:
    """Open allocation data for a year for every given unit that has none yet: how many."""
    existing = set(
        UnitAllocation.objects.filter(year=year, unit__in=units).values_list("unit_id", flat=True)
    )
    opened = 0
    for unit in units:
        if unit.pk not in existing:
            unit_allocation_create(unit=unit, year=year, actor=actor)
            opened += 1
    return opened


def _may_see(unit_allocation: UnitAllocation, actor) -> None:
    """The service's own check that the actor may see the record at all (the views' getters
    check it first; a task, a command or a future API must not bypass it)."""
    if not unit_allocations_for_user(actor).filter(pk=unit_allocation.pk).exists():
        raise PermissionDenied


def _turn_of(unit_allocation: UnitAllocation, actor) -> str:
    _may_see(unit_allocation, actor)
    party = party_of(actor)
    if party is None or party != TURN[CrossCheckStatus(unit_allocation.status)]:
        raise ValidationError(_("It is not your turn to change these figures."))
    return party


@transaction.atomic
def party_figures_save(
    *, unit_allocation: UnitAllocation, fields: Mapping[str, Any], actor
) -> PartyFigures:
    """Enter or correct the acting party's figures while it is that party's turn."""
    locked = UnitAllocation.objects.select_for_update().get(pk=unit_allocation.pk)
    if locked.status not in {_S.PRELIMINARY, _S.AGENCY, _S.ENTERPRISE}:
        raise ValidationError(_("These figures are no longer open for changes."))
    party = _turn_of(locked, actor)
    figures = PartyFigures.objects.filter(unit_allocation=locked, party=party).first()
    values = {name: fields[name] for name in PartyFigures.FIGURE_FIELDS}
    if figures is None:
        return save_audited(
            PartyFigures(unit_allocation=locked, party=party, entered_by=actor, **values),
            actor=actor,
        )
    return update_audited(figures, fields={**values, "entered_by": actor}, actor=actor)


def figures_input(figures: PartyFigures, rules: calc.YearRules) -> calc.UnitInput:
    """A party's figures as the calculator takes them, on the rules' electricity basis."""
    electricity = (
        figures.supplied_mwh if rules.basis == AllocationBasis.SUPPLIED else figures.generated_mwh
    )
    return calc.UnitInput(
        category=figures.unit_allocation.unit.allocation_category,
        cooling=figures.cooling,
        electricity_mwh=electricity if electricity is not None else calc.ZERO,
        heat_gj=figures.heat_gj,
        heat_ratio=figures.heat_ratio,
        load_factor=figures.load_factor,
        chp=figures.operating_mode == OperatingMode.CHP,
        label=figures.unit_allocation.unit.code,
    )


def allocation_from(unit_allocation: UnitAllocation, party: str) -> Decimal:
    """The allocation the party's figures give under the year's rules; a ValidationError that
    says what is missing (the figures, the basis's electricity, a rule) otherwise."""
    figures = unit_allocation.figures.filter(party=party).first()
    if figures is None:
        raise ValidationError(
            _("%(party)s has not entered its figures yet.") % {"party": Party(party).label}
        )
    rule_set = selectors.rule_set_for_year(unit_allocation.year)
    if rule_set is None:
        raise ValidationError(
            _("No allocation rule set is recorded for %(year)s: staff can add it.")
            % {"year": unit_allocation.year}
        )
    rules = selectors.year_rules(rule_set)
    basis_field = "supplied_mwh" if rules.basis == AllocationBasis.SUPPLIED else "generated_mwh"
    if getattr(figures, basis_field) is None:
        raise ValidationError(
            _("The %(year)s rules allocate on %(basis)s: %(party)s must enter it.")
            % {
                "year": rules.year,
                "basis": AllocationBasis(rules.basis).label.lower(),
                "party": Party(party).label,
            }
        )
    try:
        result = calc.unit_allocation(rules, figures_input(figures, rules))
    except calc.MissingInput:
        raise ValidationError(
            _("The %(year)s rules correct this unit for its load factor: %(party)s must enter it.")
            % {"year": rules.year, "party": Party(party).label}
        ) from None
    except calc.MissingRule as missing:
        raise ValidationError(
            _("The %(year)s rule set lacks %(rule)s: staff can add it.")
            % {"year": rules.year, "rule": missing.name}
        ) from None
    return calc.round_t(result.allocation_t)


@transaction.atomic
def unit_allocation_advance(
    *, unit_allocation: UnitAllocation, to: str, actor, note: str = ""
) -> UnitAllocation:
    """One cross-verification step by the party whose turn it is."""
    _turn_of(unit_allocation, actor)
    fields: dict[str, Any] = {}
    source = unit_allocation.status
    if (source, to) == (_S.PRELIMINARY, _S.AGENCY):
        fields["preliminary_allocation_t"] = allocation_from(unit_allocation, Party.BUREAU)
    elif (source, to) == (_S.AGENCY, _S.ENTERPRISE):
        allocation_from(unit_allocation, Party.AGENCY)  # complete enough to allocate
    elif (source, to) == (_S.ENTERPRISE, _S.CONFIRMED):
        _confirm_figures(unit_allocation, actor)
    elif (source, to) == (_S.ENTERPRISE, _S.AGENCY) and not note.strip():
        raise ValidationError({"note": _("Say what the enterprise disputes.")})
    elif (source, to) == (_S.CONFIRMED, _S.APPROVED):
        fields["approved_allocation_t"] = allocation_from(unit_allocation, Party.ENTERPRISE)
    elif (source, to) == (_S.APPROVED, _S.PRELIMINARY):
        if not note.strip():
            raise ValidationError({"note": _("Say why the approved allocation is reopened.")})
        fields["approved_allocation_t"] = None
    moved = advance(
        unit_allocation,
        to=to,
        actor=actor,
        note=note,
        fields=fields,
        stale=_("Someone else moved these figures on meanwhile; reload the page."),
    )
    if to == _S.APPROVED or source == _S.APPROVED:
        enterprise_id = moved.unit.facility.enterprise_id
        queue_position_recompute(year=moved.year, enterprise_ids=[enterprise_id])
        queue_savings_recompute(years=[moved.year], enterprise_ids=[enterprise_id])
    return moved


def _confirm_figures(unit_allocation: UnitAllocation, actor) -> None:
    """The enterprise confirms: its own figures if it entered them, else the agency's as they
    stand (copied as the enterprise's, so the confirmed figures are on record)."""
    if unit_allocation.figures.filter(party=Party.ENTERPRISE).exists():
        allocation_from(unit_allocation, Party.ENTERPRISE)
        return
    agency = unit_allocation.figures.filter(party=Party.AGENCY).first()
    if agency is None:
        raise ValidationError(_("There are no figures to confirm yet."))
    save_audited(
        PartyFigures(
            unit_allocation=unit_allocation,
            party=Party.ENTERPRISE,
            entered_by=actor,
            **{name: getattr(agency, name) for name in PartyFigures.FIGURE_FIELDS},
        ),
        actor=actor,
        reason=_("Confirmed as the agency entered them"),
    )
    allocation_from(unit_allocation, Party.ENTERPRISE)


@transaction.atomic
def discrepancy_comment_add(
    *, unit_allocation: UnitAllocation, field: str, text: str, actor
) -> DiscrepancyComment:
    _may_see(unit_allocation, actor)
    party = party_of(actor)
    if party is None:
        raise ValidationError(_("Only the bureau, the agency and the enterprise comment here."))
    if unit_allocation.status == _S.APPROVED:
        raise ValidationError(_("The allocation is approved: reopen it to discuss the figures."))
    return save_audited(
        DiscrepancyComment(
            unit_allocation=unit_allocation, field=field, party=party, text=text, author=actor
        ),
        actor=actor,
    )
