"""Writes for assistance. Each is atomic, validated and attributed to its actor: a visit whose
follow-up is invalid saves neither."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baotou_carbon.core.audit import delete_audited, save_audited, update_audited
from baotou_carbon.core.files import check_upload
from baotou_carbon.core.workflow import TransitionRefused as TransitionRefused  # callers catch it
from baotou_carbon.core.workflow import advance
from enterprises.models import Enterprise

from . import calculations
from .models import (
    MAX_UPLOAD_BYTES,
    UPLOAD_EXTENSIONS,
    UPLOAD_MESSAGES,
    Attendee,
    Draw,
    FollowUp,
    FollowUpStatus,
    Invitation,
    Mode,
    Occasion,
    Target,
    Training,
    TrainingFile,
    Visit,
    VisitFile,
    VisitStatus,
)
from .signals import follow_up_correction_changed

# Visits ------------------------------------------------------------------------------------


@dataclass
class FollowUpInput:
    action: str
    owner: str
    due_on: date
    enterprise: Enterprise | None = None  # None when the visit has exactly one


def _resolve_enterprise(item: FollowUpInput, enterprises: list) -> Enterprise:
    if item.enterprise is not None:
        if item.enterprise not in enterprises:
            raise ValidationError(
                _("The follow-up must be owed by one of the visited enterprises."),
                code="followup_enterprise_not_visited",
            )
        return item.enterprise
    if len(enterprises) == 1:
        return enterprises[0]
    raise ValidationError(
        _("Choose which enterprise owes the follow-up “%(action)s”."),
        code="followup_enterprise_required",
        params={"action": item.action[:40]},
    )


def _add_follow_ups(visit: Visit, items: Iterable[FollowUpInput], enterprises: list, actor):
    for item in items:
        follow_up = FollowUp(
            visit=visit,
            enterprise=_resolve_enterprise(item, enterprises),
            action=item.action,
            owner=item.owner,
            due_on=item.due_on,
        )
        try:
            save_audited(follow_up, actor=actor)
        except ValidationError as error:
            # The visit form has no follow-up fields: report them as the visit's own errors.
            raise ValidationError(
                [
                    _("Follow-up “%(action)s”: %(problem)s")
                    % {"action": item.action[:40], "problem": message}
                    for message in error.messages
                ]
            ) from error


def _set_members(visit: Visit, enterprises: list, staff: list) -> None:
    if not enterprises:
        raise ValidationError(
            {"enterprises": _("Choose at least one enterprise.")}, code="visit_no_enterprise"
        )
    if not staff:
        raise ValidationError(
            {"staff": _("Choose at least one staff member.")}, code="visit_no_staff"
        )
    visit.enterprises.set(enterprises)
    visit.staff.set(staff)


def _visit_fields(
    *, mode, status, started_at, occasion, topics=(), problems="", advice=""
) -> dict[str, object]:
    """The visit's own fields a form may set; its members, follow-ups and files go apart."""
    return {
        "mode": mode,
        "status": status,
        "started_at": started_at,
        "occasion": occasion,
        "topics": list(topics),
        "problems": problems,
        "advice": advice,
    }


@transaction.atomic
def visit_create(
    *,
    actor,
    enterprises: list,
    staff: list,
    follow_ups: Iterable[FollowUpInput] = (),
    files: Iterable = (),
    **fields,
) -> Visit:
    visit = save_audited(Visit(**_visit_fields(**fields)), actor=actor)
    _set_members(visit, list(enterprises), list(staff))
    _add_follow_ups(visit, follow_ups, list(enterprises), actor)
    for upload in files:
        visit_file_add(visit=visit, upload=upload, actor=actor)
    return visit


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    actor,
    enterprises: list,
    staff: list,
    follow_ups: Iterable[FollowUpInput] = (),
    files: Iterable = (),
    **fields,
) -> Visit:
    """Change the visit's fields and members, and add new follow-ups and files. Existing
    follow-ups change only through their own transitions."""
    enterprises, staff = list(enterprises), list(staff)
    update_audited(
        visit,
        fields=_visit_fields(**fields),
        actor=actor,
        reason=_members_change(visit, enterprises, staff),
    )
    owing = set(visit.follow_ups.values_list("enterprise_id", flat=True))
    missing = owing - {e.pk for e in enterprises}
    if missing:
        raise ValidationError(
            {"enterprises": _("An enterprise that owes a follow-up cannot be removed.")},
            code="visit_enterprise_owes_follow_up",
        )
    _set_members(visit, enterprises, staff)
    _add_follow_ups(visit, follow_ups, enterprises, actor)
    for upload in files:
        visit_file_add(visit=visit, upload=upload, actor=actor)
    return visit


def _members_change(visit: Visit, enterprises: list, staff: list) -> str:
    """The history reason naming the new enterprises or staff, when they change (the history
    rows record fields, not many-to-many links)."""
    parts = []
    if {e.pk for e in visit.enterprises.all()} != {e.pk for e in enterprises}:
        parts.append(_("Enterprises: %(names)s") % {"names": ", ".join(map(str, enterprises))})
    if {u.pk for u in visit.staff.all()} != {u.pk for u in staff}:
        parts.append(_("Staff: %(names)s") % {"names": ", ".join(map(str, staff))})
    return "; ".join(parts)


def _file_add(file_model, *, upload, actor, **owner):
    """An uploaded photo or document, checked, hashed, recorded with its uploader."""
    file_type = check_upload(
        upload, accepted=UPLOAD_EXTENSIONS, max_bytes=MAX_UPLOAD_BYTES, messages=UPLOAD_MESSAGES
    )
    record = file_model.from_upload(upload, file_type=file_type, actor=actor, **owner)
    return save_audited(record, actor=actor, exclude=["file"])


def _file_delete(record, *, actor) -> None:
    """Delete the record now and its stored file once the transaction commits."""
    stored, storage = record.file.name, record.file.storage
    delete_audited(record, actor=actor)
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def visit_file_add(*, visit: Visit, upload, actor) -> VisitFile:
    return _file_add(VisitFile, upload=upload, actor=actor, visit=visit)


@transaction.atomic
def visit_file_delete(*, visit_file: VisitFile, actor) -> None:
    _file_delete(visit_file, actor=actor)


# Follow-up transitions ------------------------------------------------------------------------


# step → the status it leads to; FollowUp.TRANSITIONS says from which statuses.
STEPS: dict[str, str] = {
    "confirm": FollowUpStatus.CONFIRMED,
    "answer": FollowUpStatus.ANSWERED,
    "close": FollowUpStatus.CLOSED,
    "reopen": FollowUpStatus.OPEN,
}


def _transition(follow_up: FollowUp, *, step: str, actor, note: str = "", fields: dict) -> FollowUp:
    """Move `follow_up` by `step` through core.workflow.advance, worded for follow-ups.
    Refusals are TransitionRefused with the codes followup_transition and followup_stale."""
    return advance(
        follow_up,
        to=STEPS[step],
        actor=actor,
        note=note,
        fields=fields,
        refused=_("A follow-up that is “%(status)s” cannot be %(step)s.")
        % {"status": follow_up.get_status_display(), "step": STEP_LABELS[step]},
        stale=_("Someone changed this follow-up meanwhile; reload the page and try again."),
    )


STEP_LABELS = {
    "confirm": gettext_lazy("confirmed"),
    "answer": gettext_lazy("answered"),
    "close": gettext_lazy("closed"),
    "reopen": gettext_lazy("reopened"),
}


@transaction.atomic
def follow_up_confirm(*, follow_up: FollowUp, actor, note: str = "") -> FollowUp:
    """The enterprise confirms it has carried out the action."""
    fields: dict[str, object] = {"answered_at": timezone.now()}
    if note:
        fields["answer"] = note
    return _transition(follow_up, step="confirm", actor=actor, note=note, fields=fields)


@transaction.atomic
def follow_up_answer(*, follow_up: FollowUp, actor, answer: str) -> FollowUp:
    """The enterprise answers (explains, disagrees, asks for time)."""
    if not answer.strip():
        raise ValidationError({"answer": _("Write an answer.")}, code="followup_answer_empty")
    return _transition(
        follow_up,
        step="answer",
        actor=actor,
        note=answer,
        fields={"answer": answer.strip(), "answered_at": timezone.now()},
    )


@transaction.atomic
def follow_up_close(*, follow_up: FollowUp, actor, note: str = "") -> FollowUp:
    return _transition(
        follow_up,
        step="close",
        actor=actor,
        note=note,
        fields={"closing_note": note.strip(), "closed_at": timezone.now()},
    )


@transaction.atomic
def follow_up_record_correction(
    *, follow_up: FollowUp, corrected_year: int | None, corrected_t: Decimal | None, actor
) -> FollowUp:
    """Record (or clear, with both None) the error in tonnes the follow-up corrected and the
    data year it counts for; the savings above recompute once this commits."""
    years = {y for y in (follow_up.corrected_year, corrected_year) if y is not None}
    update_audited(
        follow_up,
        fields={"corrected_year": corrected_year, "corrected_t": corrected_t},
        actor=actor,
    )
    enterprise_id = follow_up.enterprise_id
    transaction.on_commit(
        lambda: follow_up_correction_changed.send(
            sender=FollowUp, enterprise_id=enterprise_id, years=sorted(years)
        )
    )
    return follow_up


@transaction.atomic
def follow_up_reopen(*, follow_up: FollowUp, actor, note: str = "") -> FollowUp:
    return _transition(follow_up, step="reopen", actor=actor, note=note, fields={"closed_at": None})


# Draws ---------------------------------------------------------------------------------------


def new_seed() -> str:
    return str(secrets.randbits(64))


def _planned_start(planned_on: date) -> datetime:
    return timezone.make_aware(datetime.combine(planned_on, time(9, 0)))


@transaction.atomic
def draw_create(
    *,
    actor,
    title: str,
    enterprise_pool: list[int],
    inspector_pool: list[int],
    enterprise_count: int,
    inspectors_per_enterprise: int,
    planned_on: date,
    pool_filter: dict | None = None,
    seed: str | None = None,
    supersedes: Draw | None = None,
    reason: str = "",
    drawn_at: datetime | None = None,
) -> Draw:
    """Draw, publish, and create one planned on-site visit per drawn enterprise."""
    seed = seed or new_seed()
    try:
        result = calculations.draw(
            seed=int(seed),
            enterprise_pool=enterprise_pool,
            inspector_pool=inspector_pool,
            enterprise_count=enterprise_count,
            inspectors_per_enterprise=inspectors_per_enterprise,
        )
    except calculations.DrawError as error:
        raise ValidationError(
            _(
                "The pools hold %(enterprises)d enterprises and %(inspectors)d inspectors: "
                "too few for this draw."
            ),
            code="draw_pool_too_small",
            params={
                "enterprises": len(set(enterprise_pool)),
                "inspectors": len(set(inspector_pool)),
            },
        ) from error
    draw = Draw(
        title=title,
        pool_filter=pool_filter or {},
        enterprise_pool=sorted(set(enterprise_pool)),
        inspector_pool=sorted(set(inspector_pool)),
        enterprise_count=enterprise_count,
        inspectors_per_enterprise=inspectors_per_enterprise,
        seed=seed,
        planned_on=planned_on,
        supersedes=supersedes,
        reason=reason.strip(),
        drawn_by=actor,
        drawn_at=drawn_at or timezone.now(),
        **result.as_json(),
    )
    save_audited(draw, actor=actor, reason=reason.strip())
    for enterprise_id in result.enterprises:
        visit = save_audited(
            Visit(
                mode=Mode.ON_SITE,
                status=VisitStatus.PLANNED,
                started_at=_planned_start(planned_on),
                occasion=Occasion.DOUBLE_RANDOM,
                draw=draw,
            ),
            actor=actor,
        )
        visit.enterprises.set([enterprise_id])
        visit.staff.set(result.teams[enterprise_id])
    return draw


@transaction.atomic
def draw_redraw(*, draw: Draw, actor, reason: str, **params) -> Draw:
    """Replace `draw` by a new one with its own seed; the first stays published, its planned
    visits are cancelled. Refused once any of its visits took place."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the redraw.")}, code="draw_reason")
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if Draw.objects.filter(supersedes=draw).exists():
        raise ValidationError(
            _("This draw was already replaced; redraw the latest one."), code="draw_superseded"
        )
    if draw.visits.filter(status=VisitStatus.DONE).exists():
        raise ValidationError(
            _("Inspections of this draw have already taken place; it cannot be redrawn."),
            code="draw_visited",
        )
    for visit in draw.visits.filter(status=VisitStatus.PLANNED):
        visit.status = VisitStatus.CANCELLED
        save_audited(visit, actor=actor, reason=reason.strip())
    return draw_create(actor=actor, supersedes=draw, reason=reason, **params)


# Trainings -----------------------------------------------------------------------------------


@transaction.atomic
def training_save(
    *, actor, topics: list, invited: list, training: Training | None = None, files=(), **fields
) -> Training:
    """Create or change a training, its topics and its invited enterprises. Uninviting an
    enterprise whose attendees are recorded is refused."""
    training = training or Training()
    for name, value in fields.items():
        setattr(training, name, value)
    save_audited(training, actor=actor)
    training.topics.set(topics)
    wanted = {e.pk for e in invited}
    current = {i.enterprise_id: i for i in training.invitations.all()}
    for enterprise_id, invitation in current.items():
        if enterprise_id not in wanted:
            if invitation.attendees.exists():
                raise ValidationError(
                    {"invited": _("%(name)s has recorded attendees and stays invited.")},
                    code="invitation_has_attendees",
                    params={"name": invitation.enterprise},
                )
            delete_audited(invitation, actor=actor)
    for enterprise in invited:
        if enterprise.pk not in current:
            save_audited(Invitation(training=training, enterprise=enterprise), actor=actor)
    for upload in files:
        training_file_add(training=training, upload=upload, actor=actor)
    return training


@transaction.atomic
def attendance_save(
    *, training: Training, changed: list[Attendee], deleted: list[Attendee], actor
) -> None:
    if changed and training.held_on > timezone.localdate():
        raise ValidationError(
            _("Attendance can be recorded once the training has taken place."),
            code="attendance_in_future",
        )
    for attendee in deleted:
        if attendee.pk:
            delete_audited(attendee, actor=actor)
    for attendee in changed:
        if attendee.invitation.training_id != training.pk:
            raise ValidationError(_("The attendee's enterprise is not invited."))
        save_audited(attendee, actor=actor)


@transaction.atomic
def training_file_add(*, training: Training, upload, actor) -> TrainingFile:
    return _file_add(TrainingFile, upload=upload, actor=actor, training=training)


@transaction.atomic
def training_file_delete(*, training_file: TrainingFile, actor) -> None:
    _file_delete(training_file, actor=actor)


# Targets -------------------------------------------------------------------------------------


@transaction.atomic
def targets_save(*, year: int, values: dict[str, int | None], actor) -> None:
    """Set the year's target per measure; an empty value removes the target."""
    existing = {t.measure: t for t in Target.objects.select_for_update().filter(year=year)}
    for measure, value in values.items():
        target = existing.get(measure)
        if value is None:
            if target is not None:
                delete_audited(target, actor=actor)
        elif target is None:
            save_audited(Target(year=year, measure=measure, target=value), actor=actor)
        elif target.target != value:
            target.target = value
            save_audited(target, actor=actor)
