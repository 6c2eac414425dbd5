"""The one way records are written: validated, attributed to an actor, historised.

simple-history writes a history row per save and delete; these helpers make sure the row
names the acting user even outside a request (tasks, commands, imports).
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def attribute(instance: M, *, actor, reason: str = "") -> M:
    """Mark `instance` so its next history row names `actor` and `reason`."""
    instance._history_user = actor  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
    return instance


def save_audited(instance: M, *, actor, reason: str = "", exclude: list[str] | None = None) -> M:
    """full_clean() then save(), with the history row attributed to `actor`."""
    instance.full_clean(exclude=exclude)
    attribute(instance, actor=actor, reason=reason)
    instance.save()
    return instance


def delete_audited(instance: models.Model, *, actor, reason: str = "") -> None:
    attribute(instance, actor=actor, reason=reason)
    instance.delete()


def update_audited(instance: M, *, fields: Mapping[str, Any], actor, reason: str = "") -> M:
    """Set exactly `fields` on `instance`, validate it, and save only those columns (plus any
    `auto_now` timestamp), with the history row attributed to `actor`.

    The service names the fields it may change: nothing else on the row is written, so a
    status or an owner cannot slip in through a form's data."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    attribute(instance, actor=actor, reason=reason)
    stamped = [
        f.name
        for f in instance._meta.concrete_fields
        if getattr(f, "auto_now", False) and f.name not in fields
    ]
    instance.save(update_fields=[*fields, *stamped])
    return instance
