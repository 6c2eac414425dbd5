"""Reads for annual emission reports: units, emissions per unit, versions compared."""

from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db import models
from django.utils.translation import gettext as _

from baotou_carbon.core.history import history_entries
from enterprises.models import GeneratingUnit

from .. import calculations
from ..models import AnnualReport, ParameterKind, ReportLine, ReportStep
from .reference import year_parameters

# Annual reports --------------------------------------------------------------------------


def unit_label(unit) -> str:
    """A unit named with its facility ("自备电厂 #1"): unit codes repeat across facilities."""
    return f"{unit.facility.name_zh} {unit.code}"


def report_units(report) -> list:
    return list(
        GeneratingUnit.objects.filter(facility__enterprise=report.enterprise_id)
        .select_related("facility")
        .order_by("facility__name_zh", "code")
    )


@dataclass(frozen=True)
class UnitEmissions:
    unit: object
    lines: list
    missing: list[int]
    breakdown: calculations.EmissionBreakdown | None
    problem: str = ""


def report_emissions(report, units: list, lines: list) -> tuple[list[UnitEmissions], Decimal]:
    """Per unit: its months, the months missing and the emissions with their breakdown."""
    params = year_parameters(report.year)
    by_unit: dict[int, list] = {u.pk: [] for u in units}
    for line in lines:
        by_unit.setdefault(line.unit_id, []).append(line)
    result, total = [], Decimal(0)
    for unit in units:
        unit_lines = sorted(by_unit.get(unit.pk, []), key=lambda line: line.month)
        breakdown, problem = None, ""
        if unit_lines:
            try:
                breakdown = calculations.emissions(
                    params=params,
                    fuels=[
                        calculations.FuelInput(
                            fuel=unit.main_fuel,
                            consumption_t=line.fuel_consumption_t,
                            ncv_gj_per_t=line.ncv_gj_per_t,
                            carbon_content_tc_per_gj=line.carbon_content_tc_per_gj,
                            label=f"{line.month:02d}",
                        )
                        for line in unit_lines
                    ],
                    purchased_mwh=sum((line.purchased_mwh for line in unit_lines), Decimal(0)),
                )
                total += breakdown.total_t
            except calculations.MissingParameter as missing:
                problem = _("No %(kind)s recorded for %(year)s.") % {
                    "kind": ParameterKind(missing.kind).label
                    if missing.kind in ParameterKind.values
                    else missing.kind,
                    "year": report.year,
                }
        result.append(
            UnitEmissions(
                unit,
                unit_lines,
                calculations.missing_months(line.month for line in unit_lines),
                breakdown,
                problem,
            )
        )
    return result, total


def report_detail(report) -> dict:
    units = report_units(report)
    lines = list(ReportLine.objects.filter(report=report))
    per_unit, total = report_emissions(report, units, lines)
    return {
        "per_unit": per_unit,
        "total_t": total,
        "complete": bool(units) and not any(u.missing for u in per_unit),
        "versions": list(
            AnnualReport.objects.filter(enterprise=report.enterprise_id, year=report.year).order_by(
                "version"
            )
        ),
        "steps": list(ReportStep.objects.filter(report=report).select_related("actor")),
        "history": history_entries(
            [
                AnnualReport.history.filter(id=report.pk),
                ReportLine.history.filter(report_id=report.pk),
            ]
        ),
    }


def report_values(lines) -> dict[tuple, Decimal | None]:
    return {
        (line.unit_id, line.month, name): getattr(line, name)
        for line in lines
        for name in ReportLine.ACTIVITY_FIELDS
    }


def report_compare(before, after) -> dict:
    """Two versions side by side: every changed value, and each version's emissions."""
    units = report_units(after)
    lines_before = list(ReportLine.objects.filter(report=before))
    lines_after = list(ReportLine.objects.filter(report=after))
    _per_unit_b, total_before = report_emissions(before, units, lines_before)
    _per_unit_a, total_after = report_emissions(after, units, lines_after)
    unit_labels = {u.pk: unit_label(u) for u in units}
    field_labels = {
        name: cast(models.Field, ReportLine._meta.get_field(name)).verbose_name
        for name in ReportLine.ACTIVITY_FIELDS
    }
    changes = [
        {
            "unit": unit_labels.get(d.key[0], d.key[0]),
            "month": d.key[1],
            "field": field_labels[d.key[2]],
            "before": d.before,
            "after": d.after,
        }
        for d in calculations.differences(report_values(lines_before), report_values(lines_after))
    ]
    return {
        "changes": changes,
        "total_before_t": total_before,
        "total_after_t": total_after,
        "total_change_t": total_after - total_before,
    }
