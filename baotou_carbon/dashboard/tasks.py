"""Celery tasks of the dashboard: thin, idempotent, retried on transient failures."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import translation

from baotou_carbon.core.workflow import TransitionRefused

from . import services
from .briefing import BRIEFING_LANGUAGES, briefing_pdf
from .models import Briefing, BriefingStatus

logger = logging.getLogger(__name__)

# Errors worth another try: the database or the broker went away for a moment.
TRANSIENT = (OperationalError, ConnectionError)


@shared_task(bind=True, max_retries=3, soft_time_limit=240, time_limit=300)
def render_briefing(self, briefing_id: int) -> bool:
    """Queued on commit when a briefing is requested. Builds the summary in each language,
    renders the PDF and keeps it. Returns early, doing nothing, when the briefing is gone,
    already done or being rendered by another run; so a duplicate delivery is harmless.

    A transient error puts the briefing back in the queue and retries (with backoff) while
    retries remain; any other error, or the last retry's, marks it failed with the error."""
    briefing = Briefing.objects.select_related("requested_by").filter(pk=briefing_id).first()
    if briefing is None or briefing.status != BriefingStatus.QUEUED:
        return False
    try:
        briefing = services.briefing_start(briefing)
    except TransitionRefused:
        return False  # another run started it meanwhile
    try:
        # The integrator's summary (the manager dashboard's figures): the top floor only.
        from baotou_carbon.dashboard.summary import dashboard_summary

        district = briefing.district or None
        payloads = {}
        for language in BRIEFING_LANGUAGES:
            with translation.override(language):
                payloads[language] = dashboard_summary(year=briefing.year, district=district)
        pdf = briefing_pdf(payloads)
    except TRANSIENT as error:
        if self.request.retries < self.max_retries:
            services.briefing_requeue(briefing, error=_describe(error))
            raise self.retry(exc=error, countdown=10 * 2**self.request.retries) from error
        services.briefing_fail(briefing, error=_describe(error))
        return False
    except Exception as error:  # the time limit's SoftTimeLimitExceeded included
        logger.exception("Briefing %s could not be rendered", briefing_id)
        services.briefing_fail(briefing, error=_describe(error))
        return False
    services.briefing_finish(briefing, pdf=pdf)
    return True


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".rstrip(": ")
