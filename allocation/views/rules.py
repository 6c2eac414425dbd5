"""Allocation pages: the rule sets by year and the what-if calculator. Thin: permission getter
→ form → service (or calculation) → redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from baotou_carbon.core.access import require
from baotou_carbon.core.history import history_entries
from baotou_carbon.core.views import add_service_errors, form_page
from enterprises.models import AllocationCategory

from .. import calculations as calc
from .. import permissions, selectors, services
from ..forms.rules import (
    BenchmarkFormSet,
    RuleSetCopyForm,
    RuleSetForm,
    WhatIfForm,
    WhatIfUnitFormSet,
    benchmark_changes,
)
from ..models import Benchmark, RuleSet
from ..permissions import Need

# Rule sets -----------------------------------------------------------------------------------


@login_required
def rule_set_list(request: HttpRequest) -> HttpResponse:
    rule_sets = selectors.rule_set_list().filter(
        pk__in=permissions.rule_sets_for_user(request.user)
    )
    return render(
        request,
        "allocation/rule_set_list.html",
        {"rule_sets": rule_sets, "can_edit": permissions.can_edit_rule_sets(request.user)},
    )


@login_required
def rule_set_detail(request: HttpRequest, year: int) -> HttpResponse:
    rule_set = permissions.get_rule_set_for_user_or_404(request.user, year)
    return render(
        request,
        "allocation/rule_set_detail.html",
        {
            "rule_set": rule_set,
            "rows": rule_set_rows(rule_set),
            "benchmarks": rule_set.benchmarks.order_by("category"),
            "can": permissions.rule_set_capabilities(request.user, rule_set),
            "history": history_entries(
                [
                    RuleSet.history.filter(id=rule_set.pk),
                    Benchmark.history.filter(rule_set_id=rule_set.pk),
                ]
            ),
        },
    )


def rule_set_rows(rule_set: RuleSet) -> list[dict]:
    """Each rule as the detail page shows it: label, value, and whether it is unconfirmed."""
    unconfirmed = set(rule_set.unconfirmed or [])
    rows = []
    for name in RuleSet.RULE_FIELDS:
        field = RuleSet.rule_field(name)
        value = getattr(rule_set, name)
        if field.choices:
            value = getattr(rule_set, f"get_{name}_display")()
        rows.append(
            {
                "name": name,
                "label": field.verbose_name,
                "value": value,
                "unconfirmed": name in unconfirmed,
            }
        )
    return rows


@login_required
def rule_set_update(request: HttpRequest, year: int) -> HttpResponse:
    rule_set = permissions.get_rule_set_for_user_or_404(request.user, year, need=Need.EDIT)
    data = request.POST if request.method == "POST" else None
    form = RuleSetForm(data, instance=rule_set, initial={"unconfirmed": rule_set.unconfirmed})
    formset = BenchmarkFormSet(
        data, queryset=rule_set.benchmarks.order_by("category"), prefix="benchmarks"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.rule_set_update(
                rule_set=rule_set,
                **form.service_kwargs(),
                benchmarks=benchmark_changes(formset),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The rule set was saved."))
            return redirect(rule_set)
    return render(
        request,
        "allocation/rule_set_form.html",
        {"rule_set": rule_set, "form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def rule_set_copy(request: HttpRequest, year: int) -> HttpResponse:
    source = permissions.get_rule_set_for_user_or_404(request.user, year, need=Need.EDIT)
    form = RuleSetCopyForm(
        request.POST or None, initial={"year": max(selectors.rule_set_years()) + 1}
    )
    return form_page(
        request,
        form,
        save=lambda: services.rule_set_copy(
            source=source, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=lambda copy: copy.get_absolute_url(),
        title=_("Copy the %(year)s rule set to a new year") % {"year": source.year},
        success_message=_("The rule set was copied: confirm each value."),
        cancel_url=source.get_absolute_url(),
    )


def rule_label(name: str) -> str:
    """A rule the calculator found missing (calculations.MissingRule.name), in words."""
    if name.startswith(calc.POWER_BENCHMARK):
        category = name.removeprefix(calc.POWER_BENCHMARK)
        return _("power benchmark for %(category)s") % {
            "category": AllocationCategory(category).label
        }
    return str(RuleSet.rule_field(name).verbose_name)


# What-if calculator -----------------------------------------------------------------------------


@login_required
def what_if(request: HttpRequest) -> HttpResponse:
    require(permissions.can_use_what_if(request.user))
    years = selectors.rule_set_years()
    data = request.POST if request.method == "POST" else None
    form = WhatIfForm(data, years=years, initial={"year": years[0] if years else None})
    formset = WhatIfUnitFormSet(data, prefix="units")
    result = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        result = _what_if(form, formset)
    return render(
        request,
        "allocation/what_if.html",
        {"form": form, "formset": formset, "result": result},
        status=400 if request.method == "POST" and result is None else 200,
    )


def _what_if(form: WhatIfForm, formset) -> dict | None:
    """Allocate every filled unit under the year's rules, then the position if emissions were
    given; a figure the rules need but the unit lacks becomes a message on its cell."""
    rule_set = selectors.rule_set_for_year(form.cleaned_data["year"])
    if rule_set is None:  # the form offers only years with one: removed meanwhile
        form.add_error("year", _("No allocation rule set is recorded for that year."))
        return None
    rules = selectors.year_rules(rule_set)
    units = formset.filled()
    if not units:
        form.add_error(None, _("Enter at least one generating unit."))
        return None
    breakdowns = []
    for unit_form in units:
        try:
            breakdowns.append(calc.unit_allocation(rules, unit_form.unit_input()))
        except calc.MissingInput:
            unit_form.add_error(
                "load_factor_percent",
                _("The %(year)s rules correct this unit for its load factor: enter it.")
                % {"year": rules.year},
            )
        except calc.MissingRule as missing:
            form.add_error(
                "year",
                _("The %(year)s rule set has no %(rule)s: staff can add it.")
                % {"year": rules.year, "rule": rule_label(missing.name)},
            )
    if len(breakdowns) < len(units):
        return None
    total = calc.total_allocation(breakdowns)
    emissions = form.cleaned_data.get("verified_emissions_t")
    position = None
    if emissions is not None:
        position = calc.compliance_position(
            rules,
            allocation_t=total,
            verified_emissions_t=emissions,
            gas_only=all(b.category == calc.GAS for b in breakdowns),
        )
    return {
        "rule_set": rule_set,
        "units": breakdowns,
        "total_t": total,
        "position": position,
    }
