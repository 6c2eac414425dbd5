"""core.workflow.advance: one status change is one call, for every workflow of the product."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from assistance import services as assistance_services
from assistance.models import FollowUp, FollowUpStatus, FollowUpStatusChange
from baotou_carbon.core.workflow import TransitionRefused, advance, allowed, begin
from verification import services as verification_services
from verification.models import (
    AnnualReport,
    CaseStatus,
    CaseTransition,
    EvidenceStatus,
    EvidenceSubmission,
    EvidenceTransition,
    ReportStatus,
    ReportStep,
    VerificationCase,
)

from .factories import FollowUpFactory, VerificationCaseFactory, VisitFactory

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def follow_up(personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a], staff=[personas.staff])
    return FollowUpFactory(visit=visit, enterprise=personas.enterprise_a)


def steps(subject) -> list[tuple]:
    return list(
        subject.status_changes.values_list("from_status", "to_status", "actor", "note")
        if isinstance(subject, FollowUp)
        else subject.transitions.values_list("from_status", "to_status", "actor", "note")
    )


# advance itself ------------------------------------------------------------------------------


def test_it_refuses_a_move_its_transitions_do_not_allow_and_writes_nothing(follow_up, personas):
    before = follow_up.history.count()
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        advance(follow_up, to=FollowUpStatus.OPEN, actor=personas.staff)  # open → open
    assert refused.value.code == "followup_transition"
    assert refused.value.messages == ["This follow-up action cannot go from “Open” to “Open”."]
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN
    assert follow_up.history.count() == before
    assert not FollowUpStatusChange.objects.exists()


def test_it_refuses_a_stale_instance_and_writes_nothing(follow_up, personas):
    stale = FollowUp.objects.get(pk=follow_up.pk)
    advance(
        follow_up,
        to=FollowUpStatus.CLOSED,
        actor=personas.staff,
        fields={"closed_at": timezone.now()},
    )
    before = follow_up.history.count()
    # `stale` still says "open": the conditional UPDATE matches no row.
    with pytest.raises(TransitionRefused) as refused:
        advance(stale, to=FollowUpStatus.CONFIRMED, actor=personas.enterprise_a_user)
    assert refused.value.code == "followup_stale"
    assert FollowUp.objects.get(pk=follow_up.pk).status == FollowUpStatus.CLOSED
    assert follow_up.history.count() == before
    assert FollowUpStatusChange.objects.count() == 1


def test_it_words_a_refusal_as_the_caller_asks(follow_up, personas):
    with pytest.raises(TransitionRefused) as refused:
        advance(follow_up, to=FollowUpStatus.OPEN, actor=personas.staff, refused="Not now.")
    assert refused.value.messages == ["Not now."]
    assert refused.value.code == "followup_transition"


def test_it_writes_one_history_row_and_one_status_change_naming_the_actor(follow_up, personas):
    before = follow_up.history.count()
    moved = advance(
        follow_up, to=FollowUpStatus.ANSWERED, actor=personas.enterprise_a_user, note="已整改"
    )
    assert moved is follow_up
    assert follow_up.status == FollowUpStatus.ANSWERED  # refreshed
    assert follow_up.history.count() == before + 1
    row = follow_up.history.first()
    assert (row.history_type, row.status) == ("~", FollowUpStatus.ANSWERED)
    assert row.history_user == personas.enterprise_a_user
    assert row.history_change_reason == "已整改"
    assert steps(follow_up) == [
        (FollowUpStatus.OPEN, FollowUpStatus.ANSWERED, personas.enterprise_a_user.pk, "已整改")
    ]
    step = follow_up.status_changes.get()
    with translation.override("en"):
        assert str(step) == "Open → Answered by the enterprise"
    # The status-change row has its own history, attributed too.
    assert step.history.get().history_user == personas.enterprise_a_user


def test_it_dates_the_history_row_and_the_status_change_at_the_given_time(follow_up, personas):
    at = datetime(2024, 1, 15, 10, 30, tzinfo=TZ)
    advance(follow_up, to=FollowUpStatus.CONFIRMED, actor=personas.enterprise_a_user, at=at)
    assert follow_up.status_changes.get().at == at
    assert follow_up.history.get(history_type="~").history_date == at


def test_it_saves_the_extra_fields_in_the_same_update(follow_up, personas):
    closed_at = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        advance(
            follow_up,
            to=FollowUpStatus.CLOSED,
            actor=personas.staff,
            fields={"closing_note": "现场核实", "closed_at": closed_at},
        )
    updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and '"assistance_followup"' in q["sql"]
    ]
    assert len(updates) == 1
    assert '"closing_note"' in updates[0] and '"status"' in updates[0]
    assert (follow_up.closing_note, follow_up.closed_at) == ("现场核实", closed_at)


def test_it_stamps_auto_now_fields_as_save_would(personas):
    case = VerificationCaseFactory(enterprise=personas.enterprise_a, agency=personas.agency)
    VerificationCase.objects.filter(pk=case.pk).update(updated_at=datetime(2020, 1, 1, tzinfo=TZ))
    at = datetime(2024, 3, 1, 9, tzinfo=TZ)
    advance(case, to=CaseStatus.WORKING_GROUP, actor=personas.staff, at=at)
    assert case.updated_at == at


def test_it_records_the_first_step_of_a_new_record(follow_up, personas):
    begin(follow_up, actor=personas.staff, note="created")
    assert steps(follow_up) == [("", FollowUpStatus.OPEN, personas.staff.pk, "created")]
    with translation.override("en"):
        assert str(follow_up.status_changes.get()) == "— → Open"


@pytest.mark.parametrize(
    ("model", "status"),
    [
        (VerificationCase, CaseStatus),
        (EvidenceSubmission, EvidenceStatus),
        (AnnualReport, ReportStatus),
        (FollowUp, FollowUpStatus),
    ],
)
def test_it_has_every_workflow_declare_its_moves_as_from_to_pairs(model, status):
    pairs = list(model.TRANSITIONS)
    assert pairs
    for source, target in pairs:
        assert isinstance(source, status) and isinstance(target, status)
        assert allowed(model, source, target)
    assert not allowed(model, "nonsense", pairs[0][1])
    accessor = model._meta.get_field(model.STATUS_CHANGES)
    assert accessor.one_to_many


# Every workflow through its services ----------------------------------------------------------


def test_it_records_a_case_step_as_a_case_transition(personas):
    case = VerificationCaseFactory(enterprise=personas.enterprise_a, agency=personas.agency)
    verification_services.case_transition(
        case=case, target=CaseStatus.WORKING_GROUP, actor=personas.staff, note="组建技术工作组"
    )
    assert steps(case) == [
        (CaseStatus.ARRANGED, CaseStatus.WORKING_GROUP, personas.staff.pk, "组建技术工作组")
    ]
    assert CaseTransition.objects.get().case == case
    assert case.history.first().history_change_reason == "组建技术工作组"


def test_it_records_evidence_submission_and_review_as_evidence_transitions(
    personas, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    submission = verification_services.evidence_submit(
        enterprise=personas.enterprise_a,
        year=2023,
        month=1,
        files=[SimpleUploadedFile("月报.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")],
        actor=personas.enterprise_a_user,
        now=datetime(2023, 2, 10, 10, tzinfo=TZ),
        fuel_consumption_t=Decimal("85000.000"),
        ncv_gj_per_t=Decimal("18.5"),
        carbon_content_tc_per_gj=Decimal("0.0268"),
        purchased_mwh=Decimal("120"),
        generation_mwh=Decimal("190000"),
        supply_mwh=Decimal("176000"),
        heat_gj=Decimal("250000"),
        operating_hours=Decimal("744"),
        load_factor=Decimal("82.5"),
        notes="",
    )
    verification_services.evidence_review(
        submission=submission, accept=False, comment="缺少化验报告", actor=personas.staff
    )
    assert steps(submission) == [
        ("", EvidenceStatus.SUBMITTED, personas.enterprise_a_user.pk, ""),
        (EvidenceStatus.SUBMITTED, EvidenceStatus.RETURNED, personas.staff.pk, "缺少化验报告"),
    ]
    assert EvidenceTransition.objects.filter(submission=submission).count() == 2
    # Returned, so not awaiting review: refused in the evidence's own words.
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        verification_services.evidence_review(
            submission=submission, accept=True, comment="", actor=personas.staff
        )
    assert refused.value.messages == ["This evidence is not awaiting review (any more)."]


def test_it_records_a_report_review_as_a_report_step(personas):
    report = AnnualReport.objects.create(
        enterprise=personas.enterprise_a, year=2022, status=ReportStatus.SUBMITTED
    )
    verification_services.report_review(
        report=report, accept=False, comment="3月元素碳无检测报告", actor=personas.staff
    )
    step = ReportStep.objects.get(report=report)
    assert (step.from_status, step.to_status, step.actor, step.note) == (
        ReportStatus.SUBMITTED,
        ReportStatus.RETURNED,
        personas.staff,
        "3月元素碳无检测报告",
    )
    assert report.review_comment == "3月元素碳无检测报告"


def test_it_records_follow_up_steps_as_status_changes(follow_up, personas):
    assistance_services.follow_up_answer(
        follow_up=follow_up, actor=personas.enterprise_a_user, answer="需延期"
    )
    assistance_services.follow_up_answer(
        follow_up=follow_up, actor=personas.enterprise_a_user, answer="需延期至月底"
    )
    assistance_services.follow_up_close(follow_up=follow_up, actor=personas.staff, note="已核实")
    user, staff = personas.enterprise_a_user.pk, personas.staff.pk
    assert steps(follow_up) == [
        (FollowUpStatus.OPEN, FollowUpStatus.ANSWERED, user, "需延期"),
        (FollowUpStatus.ANSWERED, FollowUpStatus.ANSWERED, user, "需延期至月底"),
        (FollowUpStatus.ANSWERED, FollowUpStatus.CLOSED, staff, "已核实"),
    ]


# The follow-ups' backfill ------------------------------------------------------------------


def backfill_function():
    """The RunPython function of assistance's backfill migration."""
    migration = MigrationLoader(None, ignore_no_migrations=True).get_migration(
        "assistance", "0005_backfill_follow_up_status_changes"
    )
    (operation,) = [op for op in migration.operations if isinstance(op, RunPython)]
    return operation.code


def test_it_backfills_follow_up_status_changes_from_their_history(follow_up, personas):
    other = FollowUpFactory(visit=follow_up.visit, enterprise=personas.enterprise_a)
    assistance_services.follow_up_confirm(follow_up=follow_up, actor=personas.enterprise_a_user)
    assistance_services.follow_up_close(follow_up=follow_up, actor=personas.staff, note="已核实")
    assistance_services.follow_up_reopen(follow_up=follow_up, actor=personas.staff, note="重开")
    assistance_services.follow_up_answer(
        follow_up=other, actor=personas.enterprise_a_user, answer="需延期"
    )
    assistance_services.follow_up_answer(
        follow_up=other, actor=personas.enterprise_a_user, answer="需延期至月底"
    )
    fields = ("follow_up", "from_status", "to_status", "actor", "note", "at")
    told = list(FollowUpStatusChange.objects.order_by("follow_up", "at").values_list(*fields))
    # Before the migration there were only the history rows.
    FollowUpStatusChange.objects.all().delete()

    backfill = backfill_function()
    backfill(FollowUp._meta.apps, None)

    retold = list(FollowUpStatusChange.objects.order_by("follow_up", "at").values_list(*fields))
    assert retold == told
    assert len(retold) == 5
    backfill(FollowUp._meta.apps, None)  # again: follow-ups with steps are left alone
    assert FollowUpStatusChange.objects.count() == 5
