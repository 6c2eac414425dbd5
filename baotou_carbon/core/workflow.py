"""The one way a workflow's status changes: `advance(obj, to=..., actor=..., note=...)`.

A model with a workflow declares, next to its `status` field:

- `TRANSITIONS`: the moves allowed, as a collection (a set, or a mapping to step details) whose
  keys are `(from, to)` pairs of its status members;
- `STATUS_CHANGES`: the name of the reverse accessor of its concrete `StatusChange` subclass
  (the rows that say who moved it from which status to which, when, and why).

`advance` checks the move, flips the status with a conditional UPDATE (so two people acting at
once cannot both move the row), writes the simple-history row attributed to the actor with the
note as its reason, and the status-change row. Like django-oscar's `Order.set_status` with its
`OrderStatusChange`.
"""

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, ClassVar, Protocol, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .audit import attribute

M = TypeVar("M", bound=models.Model)


class StatusChange(models.Model):
    """One step of a workflow. A concrete subclass adds its foreign key to the subject and
    redeclares `from_status` and `to_status` with the subject's status choices."""

    # Blank for a first step: the status a new record starts in has no source.
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)
    # A default, not auto_now_add: seeded demo steps may carry the story's time.
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self._label('from_status')} → {self._label('to_status')}"

    def _label(self, name: str) -> str:
        value = getattr(self, name)
        choices = dict(cast(models.Field, self._meta.get_field(name)).flatchoices)
        return str(choices.get(value, value)) or "—"


class Workflow(Protocol):
    """What `advance` reads off a model class, besides its `status` field."""

    TRANSITIONS: ClassVar[Collection[tuple[str, str]]]
    STATUS_CHANGES: ClassVar[str]


def _workflow(model: type[models.Model]) -> type[Workflow]:
    return cast("type[Workflow]", model)


class TransitionRefused(ValidationError):
    """A status change `advance` would not make, with one of two codes:
    `<model_name>_transition` when the model's TRANSITIONS do not allow the move, and
    `<model_name>_stale` when the row's status changed since the instance was read. The
    message is the caller's own (already translated and formatted) when it gives one."""

    @classmethod
    def not_allowed(
        cls, model: type[models.Model], source: str, target: str, message: str | None
    ) -> "TransitionRefused":
        if message is None:
            message = gettext("This %(model)s cannot go from “%(source)s” to “%(target)s”.") % {
                "model": model._meta.verbose_name,
                "source": _status_label(model, source),
                "target": _status_label(model, target),
            }
        return cls(message, code=f"{model._meta.model_name}_transition")

    @classmethod
    def stale(cls, model: type[models.Model], message: str | None) -> "TransitionRefused":
        if message is None:
            message = gettext("Someone else changed this %(model)s meanwhile; reload the page.") % {
                "model": model._meta.verbose_name
            }
        return cls(message, code=f"{model._meta.model_name}_stale")


def _status_field(model: type[models.Model]) -> models.Field:
    return cast(models.Field, model._meta.get_field("status"))


def _status_label(model: type[models.Model], value: str) -> str:
    return str(dict(_status_field(model).flatchoices).get(value, value))


def allowed(model: type[models.Model], source: str, target: str) -> bool:
    """Whether the model's TRANSITIONS let a row move from `source` to `target`."""
    return (source, target) in _workflow(model).TRANSITIONS


def advance(
    instance: M,
    *,
    to: str,
    actor,
    note: str = "",
    fields: Mapping[str, Any] | None = None,
    at: datetime | None = None,
    refused: str | None = None,
    stale: str | None = None,
) -> M:
    """Move `instance` to status `to`, saving `fields` in the same UPDATE, and record the step.

    Raises TransitionRefused, writing nothing, when TRANSITIONS do not allow the move from the
    instance's status (`refused` words the message instead of the generic one) or when the row
    no longer has that status (`stale`). The instance is refreshed from the database; its
    history row and status-change row name `actor`, carry `note` and are dated `at` (now by
    default). Fields with `auto_now` are stamped with that time, as `save()` would stamp them.

    Call it inside the caller's `transaction.atomic` (every service is atomic): the UPDATE, the
    history row and the status-change row must commit or roll back together.
    """
    model = type(instance)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("advance() must run inside transaction.atomic.")
    old = _status_field(model).value_from_object(instance)
    if not allowed(model, old, to):
        raise TransitionRefused.not_allowed(model, old, to, refused)
    now = at or timezone.now()
    changes = dict(fields or {})
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            changes.setdefault(field.attname, now)
    moved = model._default_manager.filter(pk=instance.pk, status=old).update(status=to, **changes)
    if moved != 1:
        raise TransitionRefused.stale(model, stale)
    instance.refresh_from_db()
    # The UPDATE bypasses simple-history. Marks left by an earlier save would outrank the
    # defaults below, so they go first.
    for mark in ("_history_user", "_change_reason", "_history_date"):
        instance.__dict__.pop(mark, None)
    model.history.bulk_history_create(  # type: ignore[attr-defined]
        [instance], update=True, default_user=actor, default_change_reason=note, default_date=now
    )
    _record(instance, source=old, target=to, actor=actor, note=note, at=now)
    return instance


def begin(instance: M, *, actor, note: str = "", at: datetime | None = None) -> M:
    """Record the first step of a record just created in its starting status (no source).
    The creation itself was saved, and historised, by the caller."""
    status = _status_field(type(instance)).value_from_object(instance)
    _record(instance, source="", target=status, actor=actor, note=note, at=at or timezone.now())
    return instance


def _record(instance: models.Model, *, source: str, target: str, actor, note: str, at) -> None:
    """Write the status-change row through the related manager the model names."""
    steps = getattr(instance, _workflow(type(instance)).STATUS_CHANGES)
    step = steps.model(from_status=source, to_status=target, actor=actor, note=note, at=at)
    attribute(step, actor=actor)
    steps.add(step, bulk=False)  # sets the foreign key to `instance`, then saves
