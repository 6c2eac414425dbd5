"""Excel/CSV imports of the cost ledger and of the carbon price series, on the registry's
machinery (`baotou_carbon.core.imports`): headers in either language, every row checked with
the form people use for one record, every bad row reported with its number, nothing written if
any row is bad, a dry run never writes.

- Ledger rows: enterprise (credit code or name), year, category (code or label in either
  language), amount (positive: allowances sold are signed as revenue), tonnes, date,
  description. Staff import for any enterprise; an enterprise user for its own only (a row for
  another enterprise is a row error; an empty enterprise is its own).
- Price rows: date, kind, price, confidence, source; a row for a day and kind already recorded
  changes that price.
"""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from baotou_carbon.core.imports import (
    CREDIT_CODE_HEADERS,
    ImportReport,
    RowError,
    choice_value,
    form_errors,
    header_aliases,
    run_import,
)
from enterprises.models import Enterprise

from . import services
from .forms.costs import CarbonPriceForm, CostFigures
from .models import CarbonPrice, CostCategory, CostEntry, PriceKind
from .permissions import can_enter_costs_for, is_enterprise_user
from .services import CostRow, PriceRow

ENTRY_FIELDS = ["year", "category", "amount_yuan", "quantity_t", "occurred_on", "description"]
PRICE_FIELDS = ["on", "kind", "yuan_per_t", "status", "source"]


def _data(row: dict[str, str], aliases: dict[str, str]) -> dict[str, str]:
    """The row's values keyed by field name; columns the import does not know are ignored."""
    data = {}
    for header, raw in row.items():
        name = aliases.get(header.strip().lower())
        if name is not None:
            data[name] = raw
    return data


def _headers(model, names: list[str]) -> list[str]:
    return [str(capfirst(model._meta.get_field(name).verbose_name)) for name in names]


# The ledger ----------------------------------------------------------------------------------


def _cost_aliases() -> dict[str, str]:
    aliases = header_aliases(CostEntry, ["enterprise", *ENTRY_FIELDS])
    aliases.update(dict.fromkeys(CREDIT_CODE_HEADERS, "enterprise"))
    return aliases


class _Enterprises:
    """The enterprises the rows name, by credit code or name, fetched in one query."""

    def __init__(self, names: set[str]):
        names = {n for n in names if n}
        found = Enterprise.objects.filter(
            Q(uscc__in={n.upper() for n in names}) | Q(name_zh__in=names) | Q(name_en__in=names)
        )
        self.by_code: dict[str, Enterprise] = {}
        self.by_name: dict[str, list[Enterprise]] = {}
        for enterprise in found:
            self.by_code[enterprise.uscc] = enterprise
            for name in {enterprise.name_zh, enterprise.name_en} - {""}:
                self.by_name.setdefault(name, []).append(enterprise)

    def find(self, name: str) -> tuple[Enterprise | None, str]:
        if name.upper() in self.by_code:
            return self.by_code[name.upper()], ""
        matches = self.by_name.get(name, [])
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return None, _("Several enterprises have this name: give the credit code instead.")
        return None, _("No enterprise has this credit code or name.")


def _validate_costs(rows: list[dict[str, str]], report: ImportReport, *, user) -> list[CostRow]:
    aliases = _cost_aliases()
    category_field = CostEntry._meta.get_field("category")
    data_rows = [_data(row, aliases) for row in rows]
    own = is_enterprise_user(user)
    if own:
        own_enterprise = Enterprise.objects.get(pk=user.enterprise_id)
    else:
        enterprises = _Enterprises({d.get("enterprise", "") for d in data_rows})
    enterprise_label = str(capfirst(CostEntry._meta.get_field("enterprise").verbose_name))
    valid: list[CostRow] = []
    for number, data in enumerate(data_rows, start=2):
        name = data.get("enterprise", "")
        if own:
            enterprise, problem = _own_row(own_enterprise, name)
        elif not name:
            enterprise, problem = None, _("This column is required.")
        else:
            enterprise, problem = enterprises.find(name)
        if enterprise is not None and not can_enter_costs_for(user, enterprise.pk):
            enterprise, problem = None, _("You may import costs only for your own enterprise.")
        if problem:
            report.errors.append(RowError(number, enterprise_label, problem))
        data["category"] = choice_value(category_field, data.get("category", ""))
        form = CostFigures(data)
        if not form.is_valid():
            report.errors.extend(form_errors(form, number))
        elif enterprise is not None:
            valid.append(CostRow(enterprise=enterprise, **form.cleaned_data))
    report.created = len(valid)
    return valid


def _own_row(own: Enterprise, name: str) -> tuple[Enterprise | None, str]:
    """An enterprise user's rows: its own enterprise (named or left empty), nothing else; the
    other enterprises are not even looked up."""
    if not name or name.upper() == own.uscc or name in {own.name_zh, own.name_en}:
        return own, ""
    return None, _("You may import costs only for your own enterprise.")


def cost_import(*, upload, dry_run: bool, actor) -> ImportReport:
    return run_import(
        kind="costs",
        upload=upload,
        dry_run=dry_run,
        validate=lambda rows, report: _validate_costs(rows, report, user=actor),
        write=lambda valid: services.cost_entries_import(rows=valid, actor=actor),
    )


def cost_template(user) -> tuple[list[str], list[Any]]:
    """The ledger import's headers in the user's language, and an example row."""
    if is_enterprise_user(user):
        example = Enterprise.objects.get(pk=user.enterprise_id).uscc
    else:
        first = Enterprise.objects.order_by("name_zh").first()
        example = first.uscc if first else ""
    headers = _headers(CostEntry, ["enterprise", *ENTRY_FIELDS])
    return headers, [
        example,
        2022,
        str(CostCategory.ALLOWANCES_BOUGHT.label),
        "79420.00",
        "1000",
        "2023-12-29",
        _("Allowances bought to surrender"),
    ]


# Carbon prices ---------------------------------------------------------------------------------


def _day(raw: str) -> date | None:
    try:
        return forms.DateField().clean(raw)
    except ValidationError:
        return None


def _validate_prices(rows: list[dict[str, str]], report: ImportReport) -> list[PriceRow]:
    aliases = header_aliases(CarbonPrice, PRICE_FIELDS)
    kind_field = CarbonPrice._meta.get_field("kind")
    status_field = CarbonPrice._meta.get_field("status")
    existing: dict[tuple[date | None, str], CarbonPrice] = {
        (p.on, p.kind): p for p in CarbonPrice.objects.all()
    }
    seen: dict[tuple[date | None, str], int] = {}
    date_label = str(capfirst(CarbonPrice._meta.get_field("on").verbose_name))
    valid: list[PriceRow] = []
    for number, row in enumerate(rows, start=2):
        data = _data(row, aliases)
        data["kind"] = choice_value(kind_field, data.get("kind", "")) or PriceKind.CLOSE
        status = data.get("status", "")
        data["status"] = choice_value(status_field, status.upper() if len(status) == 1 else status)
        data["status"] = data["status"] or "?"
        key = (_day(data.get("on", "")), data["kind"])
        if key[0] is not None and key in seen:
            report.errors.append(
                RowError(
                    number,
                    date_label,
                    _("The same date and kind are already on row %(row)d.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = number
        instance = existing.get(key)
        form = CarbonPriceForm(data, instance=instance)
        if not form.is_valid():
            report.errors.extend(form_errors(form, number))
            continue
        valid.append(PriceRow(**form.service_kwargs()))
        if instance is None:
            report.created += 1
        else:
            report.updated += 1
    return valid


def price_import(*, upload, dry_run: bool, actor) -> ImportReport:
    return run_import(
        kind="prices",
        upload=upload,
        dry_run=dry_run,
        validate=_validate_prices,
        write=lambda valid: services.carbon_prices_import(rows=valid, actor=actor),
    )


def price_template() -> tuple[list[str], list[Any]]:
    return _headers(CarbonPrice, PRICE_FIELDS), [
        "2023-12-29",
        str(PriceKind.CLOSE.label),
        "79.42",
        "V",
        "",
    ]
