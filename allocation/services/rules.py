"""Writes of allocation: every one atomic, validated and attributed to its actor."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from baotou_carbon.core.audit import save_audited, update_audited
from baotou_carbon.core.sources import SourceStatus

from ..models import Benchmark, RuleSet


@transaction.atomic
def rule_set_update(
    *,
    rule_set: RuleSet,
    fields: Mapping[str, Any],
    benchmarks: Mapping[int, Mapping[str, Any]],
    actor,
) -> RuleSet:
    """Change a rule set's values and its benchmarks (by benchmark id) in one step."""
    update_audited(rule_set, fields=fields, actor=actor)
    rows = {b.pk: b for b in rule_set.benchmarks.all()}
    for pk, values in benchmarks.items():
        update_audited(rows[pk], fields=values, actor=actor)
    return rule_set


@transaction.atomic
def rule_set_copy(*, source: RuleSet, year: int, actor) -> RuleSet:
    """Start a year's rule set from another one: every value carried over and marked not
    confirmed, for staff to confirm as the year's plan is published."""
    if RuleSet.objects.filter(year=year).exists():
        raise ValidationError(
            {"year": _("A rule set for %(year)s already exists.") % {"year": year}}
        )
    values = {name: getattr(source, name) for name in RuleSet.RULE_FIELDS}
    if source.advance_source_year is not None:
        values["advance_source_year"] = source.advance_source_year + (year - source.year)
    for name in ("surrender_deadline", "interim_deadline"):
        if values[name] is not None:
            values[name] = _shift_year(values[name], year - source.year)
    copy = RuleSet(
        year=year,
        status=SourceStatus.UNCONFIRMED,
        unconfirmed=list(RuleSet.RULE_FIELDS),
        source=_("Copied from the %(year)s rule set: confirm each value.") % {"year": source.year},
        **values,
    )
    try:
        save_audited(copy, actor=actor)
    except IntegrityError:  # created meanwhile by someone else
        raise ValidationError(
            {"year": _("A rule set for %(year)s already exists.") % {"year": year}}
        ) from None
    for benchmark in source.benchmarks.all():
        save_audited(
            Benchmark(
                rule_set=copy,
                category=benchmark.category,
                value=benchmark.value,
                status=SourceStatus.UNCONFIRMED,
                source=copy.source,
            ),
            actor=actor,
        )
    return copy


def _shift_year(day, years: int):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)
