"""Cross-verification pages: the allocation data per unit and year, the three parties' figures
side by side with the flags and comments, the figures form of the party whose turn it is, and
the steps. Thin: permission getter → form → service → redirect + message."""

from decimal import Decimal
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from baotou_carbon.core.access import require
from baotou_carbon.core.history import history_entries
from baotou_carbon.core.views import FilteredTableView, add_service_errors, form_page

from .. import permissions, selectors, services
from ..filters import UnitAllocationFilter
from ..forms.cross_check import (
    PERCENT,
    DiscrepancyCommentForm,
    PartyFiguresForm,
    UnitAllocationsOpenForm,
    UnitAllocationStepForm,
)
from ..models import (
    CrossCheckStatus,
    DiscrepancyComment,
    Party,
    PartyFigures,
    UnitAllocation,
)
from ..permissions import Need
from ..tables import UnitAllocationTable

# The unit each figure is shown with (the choices, cooling and operating mode, have none).
FIGURE_UNITS = {
    "supplied_mwh": "MWh",
    "generated_mwh": "MWh",
    "heat_gj": "GJ",
    "heat_ratio": "%",
    "load_factor": "%",
}

# List and opening a year ---------------------------------------------------------------------


class UnitAllocationListView(FilteredTableView):
    table_class = UnitAllocationTable
    filterset_class = UnitAllocationFilter
    title = gettext_lazy("Allocation data by unit")
    export_basename = "unit-allocations"
    template_name = "allocation/unit_allocation_list.html"

    def scoped_queryset(self, user):
        return selectors.unit_allocation_list(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_open"] = permissions.can_create_unit_allocations(self.request.user)
        return context


unit_allocation_list = UnitAllocationListView.as_view()


@login_required
def unit_allocations_open(request: HttpRequest) -> HttpResponse:
    require(permissions.can_create_unit_allocations(request.user))
    years = selectors.rule_set_years()
    form = UnitAllocationsOpenForm(
        request.POST or None,
        user=request.user,
        years=years,
        initial={"year": years[0] if years else None},
    )
    opened: list[int] = []

    def save() -> int:
        opened.append(services.unit_allocations_open(**form.service_kwargs(), actor=request.user))
        return opened[0]

    def outcome() -> str:  # read once the data is opened, when form_page adds the message
        count, year = opened[0], form.cleaned_data["year"]
        if count == 0:
            return _("Every unit chosen already had allocation data for %(year)s.") % {"year": year}
        return ngettext(
            "Allocation data for %(year)s was opened for %(count)d unit.",
            "Allocation data for %(year)s was opened for %(count)d units.",
            count,
        ) % {"year": year, "count": count}

    return form_page(
        request,
        form,
        save=save,
        redirect_to="allocation:unit_allocation_list",
        title=_("Open a year's allocation data"),
        success_message=lazy(outcome, str)(),
        cancel_url="allocation:unit_allocation_list",
    )


# The record: figures side by side, comments, steps, history ---------------------------------


def _shown(name: str, value: Decimal | str | None, display: str) -> str:
    """A party's figure as the page shows it: with its unit, ratios as percentages."""
    if not isinstance(value, Decimal):
        return display  # "" without figures, "—" when not entered, a choice's label
    unit = FIGURE_UNITS[name]
    if unit == "%":
        return f"{floatformat(value * PERCENT, -4)}%"
    return f"{floatformat(value, '-3g')} {unit}"


def _detail_page(
    request: HttpRequest,
    unit_allocation: UnitAllocation,
    *,
    comment_form: DiscrepancyCommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = selectors.unit_allocation_detail(unit_allocation)
    unit_allocation = context["unit_allocation"]
    caps = permissions.unit_allocation_capabilities(request.user, unit_allocation)
    if comment_form is None and caps.comment:
        flagged = context["flagged"]
        comment_form = DiscrepancyCommentForm(
            initial={"field": flagged[0].name} if flagged else None
        )
    context.update(
        caps=caps,
        figure_table=[
            (
                row,
                [
                    _shown(row.name, value, display)
                    for value, display in zip(row.values, row.displays, strict=True)
                ],
            )
            for row in context["rows"]
        ],
        tolerance_percent=floatformat(context["tolerance"] * PERCENT, -2),
        comment_form=comment_form,
        history=history_entries(
            [
                UnitAllocation.history.filter(id=unit_allocation.pk),
                PartyFigures.history.filter(unit_allocation_id=unit_allocation.pk),
                DiscrepancyComment.history.filter(unit_allocation_id=unit_allocation.pk),
            ]
        ),
    )
    return render(request, "allocation/unit_allocation_detail.html", context, status=status)


@login_required
def unit_allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit_allocation = permissions.get_unit_allocation_for_user_or_404(request.user, pk)
    return _detail_page(request, unit_allocation)


@login_required
def party_figures_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit_allocation = permissions.get_unit_allocation_for_user_or_404(
        request.user, pk, need=Need.WORK
    )
    caps = permissions.unit_allocation_capabilities(request.user, unit_allocation)
    require(caps.enter_figures)
    party = Party(cast(str, caps.party))  # the party whose turn it is: never None here
    source = _prefill_source(unit_allocation, party)
    unit = unit_allocation.unit
    form = PartyFiguresForm(
        request.POST or None,
        rules=selectors.rules_for_year(unit_allocation.year),
        category=unit.allocation_category,
        initial=PartyFiguresForm.initial_from(source, unit),
    )
    return form_page(
        request,
        form,
        save=lambda: services.party_figures_save(
            unit_allocation=unit_allocation, **form.service_kwargs(), actor=request.user
        ),
        redirect_to=unit_allocation.get_absolute_url(),
        title=_("Figures of %(party)s: %(enterprise)s %(record)s")
        % {
            "party": party.label,
            "enterprise": unit.facility.enterprise.name_zh,
            "record": unit_allocation,
        },
        success_message=_("Your figures were saved."),
        cancel_url=unit_allocation.get_absolute_url(),
        template="allocation/unit_allocation_figures.html",
        extra={
            "unit_allocation": unit_allocation,
            "party": party,
            "source": source,
            "own": source is not None and source.party == party,
        },
    )


def _prefill_source(unit_allocation: UnitAllocation, party: Party) -> PartyFigures | None:
    """The figures the party's form starts from: its own, else those of the nearest party
    before it (the agency starts from the bureau's, the enterprise from the agency's); None
    means the registry's unit."""
    order = list(selectors.PARTIES)
    wanted = order[: order.index(party) + 1][::-1]
    by_party = {f.party: f for f in unit_allocation.figures.filter(party__in=wanted)}
    return next((by_party[p] for p in wanted if p in by_party), None)


@require_POST
@login_required
def unit_allocation_step(request: HttpRequest, pk: int) -> HttpResponse:
    unit_allocation = permissions.get_unit_allocation_for_user_or_404(
        request.user, pk, need=Need.WORK
    )
    form = UnitAllocationStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That step is not one these figures can take."))
        return redirect(unit_allocation)
    try:
        moved = services.unit_allocation_advance(
            unit_allocation=unit_allocation, **form.service_kwargs(), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The allocation data moved on: %(status)s.")
            % {"status": CrossCheckStatus(moved.status).label},
        )
    return redirect(unit_allocation)


@require_POST
@login_required
def discrepancy_comment(request: HttpRequest, pk: int) -> HttpResponse:
    unit_allocation = permissions.get_unit_allocation_for_user_or_404(request.user, pk)
    require(permissions.unit_allocation_capabilities(request.user, unit_allocation).comment)
    form = DiscrepancyCommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.discrepancy_comment_add(
                unit_allocation=unit_allocation, **form.service_kwargs(), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(f"{unit_allocation.get_absolute_url()}#figure-{comment.field}")
    return _detail_page(request, unit_allocation, comment_form=form, status=400)
