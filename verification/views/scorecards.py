"""The verification-agency scorecards: per agency and reporting year, how its cases went."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2.export import TableExport

from .. import permissions, selectors
from ..forms import ScorecardYearForm
from ..models import DeadlineSettings
from ..tables import ScorecardTable

EXPORT_FORMAT = TableExport.XLSX


@login_required
def scorecards(request: HttpRequest) -> HttpResponse:
    """`?year=` one of the years with cases the user may see (default the latest);
    `?_export=xlsx` the same figures as a workbook."""
    agency_ids = permissions.scorecard_agency_ids(request.user)  # 403 for those who read none
    years = selectors.scorecard_years(permissions.cases_for_user(request.user))
    bound = "year" in request.GET
    form = ScorecardYearForm(
        request.GET if bound else None,
        years=years,
        initial={"year": years[0]} if years else None,
    )
    year = years[0] if years else None
    status = 200
    if bound:
        if form.is_valid():
            year = form.cleaned_data["year"]
        else:
            year, status = None, 400
    deadlines = DeadlineSettings.current()
    cards = (
        selectors.agency_scorecards(year=year, agency_ids=agency_ids, deadlines=deadlines)
        if year is not None
        else []
    )
    total = selectors.scorecards_total(cards, year=year) if year is not None else None
    if year is not None and request.GET.get("_export") == EXPORT_FORMAT:
        table = ScorecardTable([*cards, total])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return TableExport(EXPORT_FORMAT, table).response(
            filename=f"verification-scorecards-{year}-{stamp}.{EXPORT_FORMAT}"
        )
    return render(
        request,
        "verification/scorecards.html",
        {
            "title": _("Verification-agency scorecards"),
            "form": form,
            "years": years,
            "year": year,
            "cards": cards,
            "total": total,
            "deadlines": deadlines,
            "marks": selectors.ScorecardMark,
        },
        status=status,
    )
