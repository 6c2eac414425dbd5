"""Writes of the cost ledger, the carbon price series and the valuation dates.

The ledger is append-only: `cost_entry_create` adds an entry (its sign from its category: an
amount of allowances sold is revenue and stored negative), `cost_entry_reverse` corrects one by
an entry of the opposite amount; nothing is edited or deleted. Each write queues the
recompute of the figures it changes, on commit.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baotou_carbon.core.audit import delete_audited, save_audited, update_audited
from baotou_carbon.core.files import check_upload
from enterprises.models import Enterprise

from ..models import (
    REVENUE_CATEGORIES,
    TRADE_CATEGORIES,
    CarbonPrice,
    CostDocument,
    CostEntry,
    PriceKind,
    YearValuation,
)
from .relief import DOCUMENT_TYPES, MAX_DOCUMENT_BYTES
from .savings import queue_savings_recompute


def signed_amount(category: str, amount_yuan: Decimal) -> Decimal:
    """The ledger's amount for what a user enters (always a positive amount)."""
    return -amount_yuan if category in REVENUE_CATEGORIES else amount_yuan


def _check_entry(category: str, amount_yuan: Decimal, quantity_t: Decimal | None) -> None:
    if amount_yuan <= 0:
        raise ValidationError(
            {"amount_yuan": _("Enter the amount as a positive number of yuan.")},
            code="cost_amount_not_positive",
        )
    if quantity_t is not None and category not in TRADE_CATEGORIES:
        raise ValidationError(
            {"quantity_t": _("Only allowances bought or sold carry tonnes.")},
            code="cost_quantity_not_traded",
        )


@dataclass(frozen=True)
class CostRow:
    """One row of a ledger import, already validated by the form."""

    enterprise: Enterprise
    year: int
    category: str
    amount_yuan: Decimal
    occurred_on: date
    description: str
    quantity_t: Decimal | None = None


def _save_entry(row: CostRow, *, actor) -> CostEntry:
    """Check and save one original entry, its amount signed by its category."""
    _check_entry(row.category, row.amount_yuan, row.quantity_t)
    return save_audited(
        CostEntry(
            enterprise=row.enterprise,
            year=row.year,
            category=row.category,
            amount_yuan=signed_amount(row.category, row.amount_yuan),
            quantity_t=row.quantity_t,
            occurred_on=row.occurred_on,
            description=row.description.strip(),
            created_by=actor,
        ),
        actor=actor,
    )


@transaction.atomic
def cost_entry_create(
    *,
    enterprise: Enterprise,
    year: int,
    category: str,
    amount_yuan: Decimal,
    occurred_on: date,
    description: str,
    actor,
    quantity_t: Decimal | None = None,
    uploads: Sequence[UploadedFile] = (),
) -> CostEntry:
    entry = _save_entry(
        CostRow(enterprise, year, category, amount_yuan, occurred_on, description, quantity_t),
        actor=actor,
    )
    for upload in uploads:
        cost_document_add(entry=entry, upload=upload, actor=actor)
    queue_savings_recompute(years=[year], enterprise_ids=[enterprise.pk])
    return entry


@transaction.atomic
def cost_entry_reverse(*, entry: CostEntry, reason: str, actor) -> CostEntry:
    """Correct an entry by one of the opposite amount; an entry is reversed once, and a
    reversal is not itself reversed (enter the right amount again instead)."""
    entry = CostEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_reversal:
        raise ValidationError(
            _("A reversal cannot be reversed: enter the correct amount as a new entry."),
            code="cost_reversal_reversed",
        )
    if CostEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."), code="cost_reversed")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the entry is reversed.")}, code="required")
    reversal = save_audited(
        CostEntry(
            enterprise_id=entry.enterprise_id,
            year=entry.year,
            category=entry.category,
            amount_yuan=-entry.amount_yuan,
            quantity_t=entry.quantity_t,
            occurred_on=timezone.localdate(),
            description=_("Reversal of entry %(pk)s: %(reason)s")
            % {"pk": entry.pk, "reason": reason.strip()},
            reverses=entry,
            created_by=actor,
        ),
        actor=actor,
    )
    queue_savings_recompute(years=[entry.year], enterprise_ids=[entry.enterprise_id])
    return reversal


@transaction.atomic
def cost_document_add(*, entry: CostEntry, upload: UploadedFile, actor) -> CostDocument:
    """An invoice, contract or receipt behind the entry (the same kinds as relief's)."""
    file_type = check_upload(upload, accepted=DOCUMENT_TYPES, max_bytes=MAX_DOCUMENT_BYTES)
    document = CostDocument.from_upload(upload, file_type=file_type, actor=actor, entry=entry)
    return save_audited(document, actor=actor, exclude=["file"])


@transaction.atomic
def cost_entries_import(*, rows: Iterable[CostRow], actor) -> list[CostEntry]:
    """Every row or none (the caller has shown the dry run); one recompute per year and
    enterprise touched."""
    entries = []
    touched: dict[int, set[int]] = {}
    for row in rows:
        entries.append(_save_entry(row, actor=actor))
        touched.setdefault(row.year, set()).add(row.enterprise.pk)
    for year, ids in touched.items():
        queue_savings_recompute(years=[year], enterprise_ids=ids)
    return entries


# Carbon prices and valuation dates -----------------------------------------------------------


def _price_years(day: date) -> list[int]:
    """The compliance years a price on this day may value: the deadlines fall in the year
    after the data year, so the day's year and the one before."""
    return [day.year - 1, day.year]


def _price_save(
    *, on: date, yuan_per_t: Decimal, actor, kind: str, status: str, source: str
) -> CarbonPrice:
    price = CarbonPrice.objects.filter(on=on, kind=kind).first()
    fields = {"yuan_per_t": yuan_per_t, "status": status, "source": source.strip()}
    if price is None:
        return save_audited(CarbonPrice(on=on, kind=kind, **fields), actor=actor)
    update_audited(price, fields=fields, actor=actor)
    return price


@transaction.atomic
def carbon_price_save(
    *,
    on: date,
    yuan_per_t: Decimal,
    actor,
    kind: str = PriceKind.CLOSE,
    status: str = "?",
    source: str = "",
) -> CarbonPrice:
    """Add a price, or change the one recorded for that day and kind."""
    price = _price_save(
        on=on, yuan_per_t=yuan_per_t, actor=actor, kind=kind, status=status, source=source
    )
    if kind == PriceKind.CLOSE:
        queue_savings_recompute(years=_price_years(on), enterprise_ids=None)
    return price


@dataclass(frozen=True)
class PriceRow:
    """One row of a price import, already validated by the form."""

    on: date
    kind: str
    yuan_per_t: Decimal
    status: str = "?"
    source: str = ""


@transaction.atomic
def carbon_prices_import(*, rows: Iterable[PriceRow], actor) -> list[CarbonPrice]:
    """Every row or none, each adding a price or changing the one recorded for its day and
    kind; one recompute per year the closes changed (not one per row)."""
    prices, years = [], set()
    for row in rows:
        prices.append(
            _price_save(
                on=row.on,
                yuan_per_t=row.yuan_per_t,
                actor=actor,
                kind=row.kind,
                status=row.status,
                source=row.source,
            )
        )
        if row.kind == PriceKind.CLOSE:
            years.update(_price_years(row.on))
    queue_savings_recompute(years=years, enterprise_ids=None)
    return prices


@transaction.atomic
def carbon_price_delete(*, price: CarbonPrice, actor) -> None:
    years = _price_years(price.on) if price.kind == PriceKind.CLOSE else []
    delete_audited(price, actor=actor)
    queue_savings_recompute(years=years, enterprise_ids=None)


@transaction.atomic
def year_valuation_set(*, year: int, price_on: date | None, note: str = "", actor) -> None:
    """Value a year's savings at the close of another date, or (None) back at the default."""
    current = YearValuation.objects.filter(year=year).first()
    if price_on is None:
        if current is not None:
            delete_audited(current, actor=actor)
    elif current is None:
        save_audited(YearValuation(year=year, price_on=price_on, note=note.strip()), actor=actor)
    else:
        update_audited(current, fields={"price_on": price_on, "note": note.strip()}, actor=actor)
    queue_savings_recompute(years=[year], enterprise_ids=None)
