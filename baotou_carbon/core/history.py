"""The audit trail as people read it: who changed what, when, from which value to which."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
SKIPPED_FIELDS = {"id", "created_at", "updated_at"}


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any
    # For a foreign key: the related model, so ids can be shown as names (see _name_relations).
    related_model: Any = None


@dataclass
class HistoryEntry:
    when: datetime
    actor: Any
    action: str
    object_type: str
    object_label: str
    reason: str = ""
    changes: list[FieldChange] = field(default_factory=list)


def _display(model_field, value) -> Any:
    if value in (None, "") or value == [] or value == {}:
        return "—"
    if isinstance(value, list):  # a JSON list: its items
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):  # a JSON object: its pairs
        return "; ".join(f"{key}: {item}" for key, item in value.items()) or "—"
    if isinstance(value, Decimal):
        return number_format(value, force_grouping=True)
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    choices = dict(model_field.flatchoices or [])
    return choices.get(value, value)


def _tracked_fields(record) -> list:
    return [f for f in record.instance_type._meta.fields if f.attname not in SKIPPED_FIELDS]


def _entries_for(records: list) -> list[HistoryEntry]:
    """Entries for the history rows of one model, each diffed against the row before it."""
    entries = []
    records.sort(key=attrgetter("id", "history_date", "history_id"))
    for _pk, rows in groupby(records, key=attrgetter("id")):
        previous = None
        for row in rows:
            changes: list[FieldChange] = []
            if previous is not None and row.history_type == "~":
                for f in _tracked_fields(row):
                    old, new = getattr(previous, f.attname), getattr(row, f.attname)
                    if old != new:
                        changes.append(
                            FieldChange(
                                str(f.verbose_name),
                                _display(f, old),
                                _display(f, new),
                                related_model=f.related_model if f.is_relation else None,
                            )
                        )
            entries.append(
                HistoryEntry(
                    when=row.history_date,
                    actor=row.history_user,
                    action=str(ACTIONS.get(row.history_type, row.history_type)),
                    object_type=str(row.instance_type._meta.verbose_name),
                    object_label=str(row.instance),
                    reason=row.history_change_reason or "",
                    changes=changes,
                )
            )
            previous = row
    return entries


def history_entries(querysets: Iterable[QuerySet], limit: int = 50) -> list[HistoryEntry]:
    """Newest first, across several models' history querysets (one query each)."""
    entries: list[HistoryEntry] = []
    for qs in querysets:
        entries.extend(_entries_for(list(qs.select_related("history_user"))))
    entries.sort(key=attrgetter("when"), reverse=True)
    entries = entries[:limit]
    _name_relations(entries)
    return entries


def _name_relations(entries: list[HistoryEntry]) -> None:
    """Replace foreign-key ids in changes by the related records' names: one query per related
    model that appears, not one per change."""
    wanted: dict[Any, set] = {}
    for entry in entries:
        for change in entry.changes:
            if change.related_model is not None:
                ids = wanted.setdefault(change.related_model, set())
                ids.update(v for v in (change.old, change.new) if v != "—")
    names = {
        model: {pk: str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
        for model, ids in wanted.items()
    }
    for entry in entries:
        for change in entry.changes:
            if change.related_model is not None:
                found = names[change.related_model]
                change.old = found.get(change.old, change.old)
                change.new = found.get(change.new, change.new)
