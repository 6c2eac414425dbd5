"""The one way records are written: validated, attributed to an actor, historised.

simple-history writes a history row per save and delete; these helpers make sure the row
names the acting user even outside a request (tasks, commands, imports).
"""

from typing import TypeVar

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


def update_audited(instance: M, *, actor, reason: str = "", **fields) -> M:
    """Set `fields` on `instance`, then validate and save it attributed to `actor`."""
    for name, value in fields.items():
        setattr(instance, name, value)
    return save_audited(instance, actor=actor, reason=reason)
