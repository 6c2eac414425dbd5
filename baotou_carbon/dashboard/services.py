"""Writes of the dashboard: a leadership briefing requested, started, finished or failed.

Every status change goes through `core.workflow.advance`, so two runs of the task cannot both
start one briefing, and each step leaves a history row and a status-change row naming the
requester (the task acts on their behalf).
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from baotou_carbon.core.audit import save_audited
from baotou_carbon.core.files import FILE_TYPES
from baotou_carbon.core.workflow import advance, begin

from . import tasks
from .models import Briefing, BriefingFile, BriefingStatus

# An error kept on a failed briefing is cut to this many characters.
MAX_ERROR_LENGTH = 2000


@transaction.atomic
def briefing_request(*, year: int, district: str, actor) -> Briefing:
    """A new briefing of `year` (the city when `district` is blank), rendered by a task once
    this transaction commits."""
    briefing = save_audited(
        Briefing(year=year, district=district or "", requested_by=actor), actor=actor
    )
    begin(briefing, actor=actor)
    transaction.on_commit(lambda: tasks.render_briefing.delay(briefing.pk))
    return briefing


@transaction.atomic
def briefing_start(briefing: Briefing) -> Briefing:
    """Queued → running. A briefing another run has started (or finished) is refused with
    TransitionRefused, so the caller leaves it alone."""
    return advance(
        briefing,
        to=BriefingStatus.RUNNING,
        actor=briefing.requested_by,
        fields={"started_at": timezone.now(), "error": ""},
    )


@transaction.atomic
def briefing_finish(briefing: Briefing, *, pdf: bytes) -> Briefing:
    """Running → done, keeping `pdf` as the briefing's file. The status moves first: a run that
    lost the race writes no file; a file that cannot be written rolls the status back."""
    advance(
        briefing,
        to=BriefingStatus.DONE,
        actor=briefing.requested_by,
        fields={"finished_at": timezone.now()},
    )
    stored = BriefingFile.from_upload(
        ContentFile(pdf, name=briefing.file_name()),
        file_type=FILE_TYPES["pdf"],
        actor=briefing.requested_by,
        briefing=briefing,
    )
    save_audited(stored, actor=briefing.requested_by)
    return briefing


@transaction.atomic
def briefing_fail(briefing: Briefing, *, error: str) -> Briefing:
    """Running (or still queued) → failed, with what went wrong."""
    return advance(
        briefing,
        to=BriefingStatus.FAILED,
        actor=briefing.requested_by,
        note=error[:200],
        fields={"finished_at": timezone.now(), "error": error[:MAX_ERROR_LENGTH]},
    )


@transaction.atomic
def briefing_requeue(briefing: Briefing, *, error: str) -> Briefing:
    """Running → queued after a transient error, for the task's retry; the page keeps
    waiting."""
    return advance(
        briefing,
        to=BriefingStatus.QUEUED,
        actor=briefing.requested_by,
        note=error[:200],
        fields={"error": error[:MAX_ERROR_LENGTH]},
    )
