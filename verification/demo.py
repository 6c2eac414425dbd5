"""Demonstration data for verification, loaded by `manage.py seed_demo` after the registry's.

2022 verification cases for the demo enterprises with generating units, with realistic findings
and the gain each attributes by cause: 118,770 t in all (DOMAIN §1), once the allocation demo's
cross-verification gives the allocation changes the components name; the calendar exceptions of
2023–2024; and monthly evidence from the story's 2023 to the last month before the day of
seeding, so the demo lives in today's calendar. It queries what the registry demo made
(enterprises with units, the agencies, users by role) instead of importing its keys.

`seed()` is idempotent: a case that already exists for an enterprise and 2022, or a month's
evidence that exists, is left alone, so a second run writes nothing.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from baotou_carbon.accounts.models import User
from baotou_carbon.accounts.roles import Role
from baotou_carbon.core.audit import save_audited
from baotou_carbon.core.workflow import advance, begin
from enterprises import demo as registry_demo
from enterprises.models import Enterprise, GeneratingUnit, OperatingMode, VerificationAgency

from . import services
from .models import (
    CaseStatus,
    ChecklistItem,
    ChecklistTemplate,
    DayKind,
    DeadlineSettings,
    EvidenceStatus,
    EvidenceSubmission,
    FindingStatus,
    Holiday,
    ItemResult,
    ObjectionOutcome,
    VerificationCase,
)
from .selectors import evidence_deadlines_for, obliged_enterprises

YEAR = 2022
TOTAL_GAIN_T = Decimal("118770")
D = Decimal

NOTIFIED_ON = date(2023, 5, 15)
OBJECTED_ON = date(2023, 5, 19)
DECIDED_ON = date(2023, 5, 31)
ARCHIVED_ON = date(2023, 6, 30)


@dataclass(frozen=True)
class DemoFinding:
    checkpoint: str
    description: str
    status: str  # rectified or unrectified
    response: str = ""
    estimate_t: Decimal | None = None
    estimate_basis: str = ""


@dataclass(frozen=True)
class DemoCase:
    reported_t: Decimal
    conclusion: str
    # (cause, allocation change, emissions change, note)
    components: tuple[tuple[str, Decimal, Decimal, str], ...]
    findings: tuple[DemoFinding, ...] = field(default_factory=tuple)
    objection: str = ""  # grounds; the re-review upholds it

    @property
    def gain_t(self) -> Decimal:
        return sum((a + e for _c, a, e, _n in self.components), D(0))

    @property
    def estimates_t(self) -> Decimal:
        return sum((f.estimate_t or D(0) for f in self.findings), D(0))


CARBON = DemoFinding(
    "carbon_sampling",
    "部分月份入炉煤元素碳含量未按要求检测，企业按缺省值 0.03085 tC/GJ 报告。",
    FindingStatus.RECTIFIED,
    "已补充 CMA 资质机构出具的月度缩分样检测报告。",
)
NCV = DemoFinding(
    "ncv",
    "低位发热量按月算术平均，未按入炉煤量加权。",
    FindingStatus.RECTIFIED,
    "已按日入炉煤量重新加权计算。",
)
FUEL = DemoFinding(
    "fuel_consumption",
    "入炉煤量取自入厂煤量，未扣减月末库存变化。",
    FindingStatus.RECTIFIED,
    "已按盘存记录修正各月入炉煤量。",
)
HEAT = DemoFinding(
    "heat",
    "供热量未计入对外供汽，供热比偏低。",
    FindingStatus.RECTIFIED,
    "已补充供汽结算单和热量表读数。",
)
SUPPLY = DemoFinding(
    "meters",
    "一台机组 12 月供电量按抄表日截取，少计 12 月 26–31 日关口表电量。",
    FindingStatus.RECTIFIED,
    "已补充 12 月关口表抄表记录和电网结算单。",
)
EVIDENCE = DemoFinding(
    "monthly_evidence_consistency",
    "年度报告 12 月供电量与月度存证不一致，少报月末关口表电量。",
    FindingStatus.RECTIFIED,
    "已按月度存证和关口表读数更正年度报告。",
)
METER = DemoFinding(
    "meters",
    "2 号机组供电量关口表 2022 年 3 月校验过期，当月数据无法核实。",
    FindingStatus.UNRECTIFIED,
    "校验报告无法补充。",
    D("260"),
    "3 月供电量按发电量扣除设计厂用电率保守估算，排放量增加 260 t。",
)

# The eight 2022 cases; their gains: 24,550 + 25,100 + 17,330 + 6,220 + 15,270 + 11,670
# + 12,200 + 6,430 = 118,770 t.
CASES: tuple[DemoCase, ...] = (
    DemoCase(
        D("4826300"),
        "元素碳实测值替代缺省值后，核查排放量低于报告排放量。",
        (
            ("measured_carbon", D(0), D("18260"), "补测 7 个月元素碳含量"),
            ("activity_data", D("6840"), D(0), "12 月供电量按关口表补计"),
        ),
        (CARBON, SUPPLY),
    ),
    DemoCase(
        D("2961500"),
        "经复核，采信企业补充的检测报告。",
        (
            ("heat_data", D("9870"), D(0), "补计对外供汽"),
            ("measured_carbon", D(0), D("7460"), "异议复核采信检测报告"),
        ),
        (HEAT, CARBON),
        objection="3–5 月元素碳检测报告由具备 CMA 资质的机构出具，应采信实测值。",
    ),
    DemoCase(
        D("5213700"),
        "燃料消耗量与低位发热量修正，元素碳以实测值计。",
        (
            ("measured_carbon", D(0), D("21430"), "全年元素碳实测"),
            ("activity_data", D(0), D("3120"), "入炉煤量扣减库存变化"),
        ),
        (CARBON, FUEL),
    ),
    DemoCase(
        D("1187400"),
        "元素碳与低位发热量修正。",
        (
            ("measured_carbon", D(0), D("4980"), "补测元素碳"),
            ("activity_data", D(0), D("1240"), "低位发热量加权修正"),
        ),
        (CARBON, NCV),
    ),
    DemoCase(
        D("3472600"),
        "存在一项未整改问题，按保守原则估算。",
        (
            ("measured_carbon", D(0), D("12350"), "补测元素碳"),
            ("activity_data", D("3180"), D(0), "供电量按月度存证更正"),
            ("other", D(0), D("-260"), "未整改问题的保守估算"),
        ),
        (CARBON, EVIDENCE, METER),
    ),
    DemoCase(
        D("2684900"),
        "元素碳以实测值计，入炉煤量修正。",
        (
            ("measured_carbon", D(0), D("9640"), "补测元素碳"),
            ("activity_data", D(0), D("2030"), "入炉煤量修正"),
        ),
        (CARBON, FUEL),
    ),
    DemoCase(
        D("1893200"),
        "供电量按关口表补计，元素碳以实测值计。",
        (
            ("activity_data", D("8900"), D(0), "12 月供电量按关口表补计"),
            ("measured_carbon", D(0), D("3300"), "补测元素碳"),
        ),
        (SUPPLY, CARBON),
    ),
    DemoCase(
        D("1326800"),
        "供热量与燃料消耗量修正。",
        (
            ("heat_data", D("2410"), D(0), "热量表数据更正"),
            ("activity_data", D(0), D("4020"), "入炉煤量修正"),
        ),
        (HEAT, FUEL),
    ),
)

# Public holidays and adjusted working days (调休) of 2023 and 2024 (State Council notices).
CALENDAR: tuple[tuple[date, str, str], ...] = (
    (date(2023, 1, 2), DayKind.HOLIDAY, "元旦"),
    *((date(2023, 1, d), DayKind.HOLIDAY, "春节") for d in range(23, 28)),
    (date(2023, 1, 28), DayKind.WORKING_DAY, "春节调休"),
    (date(2023, 1, 29), DayKind.WORKING_DAY, "春节调休"),
    (date(2023, 4, 5), DayKind.HOLIDAY, "清明节"),
    (date(2023, 4, 23), DayKind.WORKING_DAY, "劳动节调休"),
    *((date(2023, 5, d), DayKind.HOLIDAY, "劳动节") for d in range(1, 4)),
    (date(2023, 5, 6), DayKind.WORKING_DAY, "劳动节调休"),
    (date(2023, 6, 22), DayKind.HOLIDAY, "端午节"),
    (date(2023, 6, 23), DayKind.HOLIDAY, "端午节"),
    (date(2023, 6, 25), DayKind.WORKING_DAY, "端午节调休"),
    (date(2023, 9, 29), DayKind.HOLIDAY, "中秋节"),
    *((date(2023, 10, d), DayKind.HOLIDAY, "国庆节") for d in (2, 3, 4, 5, 6)),
    (date(2023, 10, 7), DayKind.WORKING_DAY, "国庆节调休"),
    (date(2023, 10, 8), DayKind.WORKING_DAY, "国庆节调休"),
    (date(2024, 1, 1), DayKind.HOLIDAY, "元旦"),
    (date(2024, 2, 4), DayKind.WORKING_DAY, "春节调休"),
    *((date(2024, 2, d), DayKind.HOLIDAY, "春节") for d in (12, 13, 14, 15, 16)),
    (date(2024, 2, 18), DayKind.WORKING_DAY, "春节调休"),
    (date(2024, 4, 4), DayKind.HOLIDAY, "清明节"),
    (date(2024, 4, 5), DayKind.HOLIDAY, "清明节"),
    (date(2024, 4, 7), DayKind.WORKING_DAY, "清明节调休"),
    (date(2024, 4, 28), DayKind.WORKING_DAY, "劳动节调休"),
    *((date(2024, 5, d), DayKind.HOLIDAY, "劳动节") for d in (1, 2, 3)),
    (date(2024, 5, 11), DayKind.WORKING_DAY, "劳动节调休"),
    (date(2024, 6, 10), DayKind.HOLIDAY, "端午节"),
    (date(2024, 9, 14), DayKind.WORKING_DAY, "中秋节调休"),
    (date(2024, 9, 16), DayKind.HOLIDAY, "中秋节"),
    (date(2024, 9, 17), DayKind.HOLIDAY, "中秋节"),
    (date(2024, 9, 29), DayKind.WORKING_DAY, "国庆节调休"),
    *((date(2024, 10, d), DayKind.HOLIDAY, "国庆节") for d in (1, 2, 3, 4, 7)),
    (date(2024, 10, 12), DayKind.WORKING_DAY, "国庆节调休"),
)


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def demo_enterprises() -> list[Enterprise]:
    """Enterprises with generating units; those of the main demo logins (`enterprise`,
    `enterprise2`) first, then by name: the cases fall on the same enterprises whatever other
    logins exist."""
    main = [
        registry_demo.enterprise_by_key(key).uscc
        for key in (registry_demo.ENTERPRISE_LOGIN, registry_demo.SECOND_ENTERPRISE_LOGIN)
    ]
    has_units = GeneratingUnit.objects.filter(facility__enterprise=OuterRef("pk"))
    return list(
        Enterprise.objects.filter(Exists(has_units))
        .annotate(main_login=Q(uscc__in=main))
        .order_by("-main_login", "name_zh", "pk")
    )


def demo_agencies() -> list[VerificationAgency]:
    """The agency of the main demo login (`agency`) first, then by name."""
    main = registry_demo.agency_by_key(registry_demo.AGENCY_LOGIN).uscc
    return list(
        VerificationAgency.objects.annotate(main_login=Q(uscc=main)).order_by(
            "-main_login", "name_zh", "pk"
        )
    )


def _first_user(role: str, **binding):
    return User.objects.filter(role=role, is_active=True, **binding).order_by("pk").first()


def seed_calendar(*, actor, tally: Counter) -> None:
    for day, kind, name in CALENDAR:
        if Holiday.objects.filter(date=day).exists():
            tally["holiday unchanged"] += 1
            continue
        save_audited(Holiday(date=day, kind=kind, name=name), actor=actor)
        tally["holiday created"] += 1


def _seed_case(demo: DemoCase, *, enterprise, agency, template, staff, tally: Counter) -> None:
    if VerificationCase.objects.filter(enterprise=enterprise, year=YEAR).exists():
        tally["verificationcase unchanged"] += 1
        return
    worker = _first_user(Role.AGENCY, agency=agency) or staff
    case = services.case_create(
        template=template,
        actor=staff,
        enterprise=enterprise,
        year=YEAR,
        agency=agency,
        reported_emissions_t=demo.reported_t,
    )
    for target in (
        CaseStatus.WORKING_GROUP,
        CaseStatus.DOCUMENT_REVIEW,
        CaseStatus.ONSITE_TEAM,
        CaseStatus.ONSITE,
    ):
        services.case_transition(case=case, target=target, actor=worker)

    items = {i.checkpoint: i for i in ChecklistItem.objects.filter(case=case)}
    flagged = {f.checkpoint for f in demo.findings}
    for checkpoint, item in items.items():
        if checkpoint in flagged:
            continue
        services.checklist_item_update(
            item=item, actor=worker, result=ItemResult.CONFORMING, evidence="现场查阅原始记录"
        )
    for finding in demo.findings:
        item = items[finding.checkpoint]
        services.checklist_item_update(
            item=item, actor=worker, result=ItemResult.NON_CONFORMITY, notes=finding.description
        )
        services.finding_create(
            case=case,
            actor=worker,
            checklist_item=item,
            description=finding.description,
            rectification_deadline=date(2023, 4, 28),
            status=finding.status,
            enterprise_response=finding.response,
            conservative_estimate_t=finding.estimate_t,
            estimate_basis=finding.estimate_basis,
        )

    # Emissions after = reported − Σ emissions changes (the conservative estimate's negative
    # component included); the agency's verified figure is that, before the estimate.
    emission_changes = sum((e for _c, _a, e, _n in demo.components), D(0))
    final_t = demo.reported_t - emission_changes
    objector = _first_user(Role.ENTERPRISE, enterprise=enterprise) if demo.objection else None
    # With an objection, the part the re-review accepts is not yet in the first conclusion.
    accepted_on_objection = (
        sum((e for _c, _a, e, note in demo.components if "异议" in note), D(0))
        if objector
        else D(0)
    )
    services.case_update(
        case=case,
        actor=worker,
        verified_emissions_t=final_t - demo.estimates_t + accepted_on_objection,
        conclusion=demo.conclusion,
    )
    services.case_transition(case=case, target=CaseStatus.CONCLUDED, actor=worker)
    services.case_transition(case=case, target=CaseStatus.NOTIFIED, actor=staff, on=NOTIFIED_ON)
    if objector is not None:
        services.objection_lodge(case=case, grounds=demo.objection, actor=objector, on=OBJECTED_ON)
        services.re_review_decide(
            case=case,
            outcome=ObjectionOutcome.UPHELD,
            decision="经复核，采信企业补充的检测报告，核减排放量。",
            actor=staff,
            verified_emissions_t=final_t - demo.estimates_t,
            on=DECIDED_ON,
        )
    case.refresh_from_db()
    for cause, allocation_change, emissions_change, note in demo.components:
        services.gain_component_create(
            case=case,
            actor=staff,
            cause=cause,
            allocation_change_t=allocation_change,
            emissions_change_t=emissions_change,
            note=note,
        )
    services.case_transition(case=case, target=CaseStatus.ARCHIVED, actor=staff, on=ARCHIVED_ON)
    tally["verificationcase created"] += 1
    tally["finding created"] += len(demo.findings)
    tally["gaincomponent created"] += len(demo.components)


def seed(*, actor=None, password: str | None = None, stdout=None) -> Counter:
    """Create the 2022 verification cases and the calendar; return what happened."""
    tally: Counter = Counter()
    staff = _first_user(Role.BUREAU_STAFF) or actor or _first_user(Role.ADMINISTRATOR)
    actor = actor or staff
    seed_calendar(actor=actor, tally=tally)
    enterprises = demo_enterprises()
    agencies = demo_agencies()
    template = ChecklistTemplate.objects.filter(is_active=True).order_by("pk").first()
    if len(enterprises) < len(CASES) or not agencies or template is None or staff is None:
        raise RuntimeError(
            f"verification demo needs {len(CASES)} enterprises with units, an agency, a checklist "
            "template and a staff user: run the registry demo first"
        )
    for index, (demo, enterprise) in enumerate(zip(CASES, enterprises, strict=False)):
        # Two thirds of the cases to the first agency (the one with a demo login).
        agency = agencies[0] if index % 3 != 2 or len(agencies) == 1 else agencies[1]
        _seed_case(
            demo, enterprise=enterprise, agency=agency, template=template, staff=staff, tally=tally
        )
    seed_evidence(staff=staff, tally=tally)
    for outcome, count in sorted(tally.items()):
        _write(stdout, f"  {outcome}: {count}")
    return tally


# Monthly evidence ---------------------------------------------------------------------------

EVIDENCE_YEAR = 2023  # the story's year; the demo carries the evidence on to last month
# The story's months still awaiting correction when it ends (2024-01-31); in the years since,
# those of the last two months before the day of seeding.
STORY_AWAITING = {(EVIDENCE_YEAR, 11), (EVIDENCE_YEAR, 12)}
RETURN_COMMENTS = (
    "缺少入炉煤元素碳检测报告，请补充。",
    "供电量与关口表读数不一致，请核对。",
    "低位发热量未按入炉煤量加权，请更正。",
)


def _pick(key: str) -> float:
    """A stable number in [0, 1) for `key`: the same demo on every run."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0x100000000


def _demo_pdf(label: str) -> bytes:
    return f"%PDF-1.4\n% {label}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".encode()


def evidence_months(today: date) -> list[tuple[int, int]]:
    """(year, month) from the story's January to the last month that ended before `today`."""
    months = []
    year, month = EVIDENCE_YEAR, 1
    while (year, month) < (today.year, today.month):
        months.append((year, month))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return months


def seed_evidence(*, staff, tally: Counter) -> None:
    """Monthly evidence from the story's 2023 to last month for the key emitters listed in each
    year: mostly on time, some late, some returned, a few missing; one file reused across two
    months of 2023 (flagged). Nothing happens after the moment of seeding: a month whose
    submission or review would fall later is still open, or awaits review."""
    deadlines = DeadlineSettings.current()
    tz = timezone.get_current_timezone()
    now = timezone.now()
    months = evidence_months(timezone.localdate())
    awaiting = STORY_AWAITING | {m for m in months[-2:] if m[0] > EVIDENCE_YEAR}
    chp_enterprises = set(
        GeneratingUnit.objects.filter(operating_mode=OperatingMode.CHP).values_list(
            "facility__enterprise_id", flat=True
        )
    )
    obliged: dict[int, list[Enterprise]] = {}
    parties: dict[int, tuple[User, User]] = {}  # enterprise pk → its submitter and reviewer
    for year, month in months:
        if year not in obliged:
            obliged[year] = list(
                obliged_enterprises(Enterprise.objects.all(), year).order_by("name_zh", "pk")
            )
        existing = set(
            EvidenceSubmission.objects.filter(year=year, month=month).values_list(
                "enterprise_id", flat=True
            )
        )
        d = evidence_deadlines_for(year, month, deadlines)
        for number, enterprise in enumerate(obliged[year]):
            if enterprise.pk in existing:
                tally["evidencesubmission unchanged"] += 1
                continue
            # The story's year keeps its own keys, so its figures never change.
            key = f"{enterprise.uscc}-{month}"
            roll = _pick(key if year == EVIDENCE_YEAR else f"{enterprise.uscc}-{year}-{month}")
            if roll >= 0.93:
                continue  # missing
            late = 0.78 <= roll < 0.93
            # On time: any day between the month's end and the deadline; late: within 12 days.
            window = (d.enterprise - d.month_end).days
            day = (
                d.enterprise + timedelta(days=1 + int(roll * 100) % 12)
                if late
                else d.month_end + timedelta(days=1 + int(roll * 1000) % window)
            )
            submitted_at = datetime.combine(day, time(10, 30), tzinfo=tz)
            if submitted_at > now:
                continue  # not submitted yet
            returned_now = 0.70 <= roll < 0.74 and (year, month) in awaiting
            returned_before = 0.70 <= roll < 0.78 and not returned_now
            # One enterprise reuses May's report for June of the story's year: flagged.
            reused = number == 0 and year == EVIDENCE_YEAR and month == 6
            if enterprise.pk not in parties:
                parties[enterprise.pk] = (
                    _first_user(Role.ENTERPRISE, enterprise=enterprise) or staff,
                    _first_user(Role.DISTRICT_REVIEWER, district=enterprise.district) or staff,
                )
            submitter, reviewer = parties[enterprise.pk]
            _seed_month(
                enterprise,
                year=year,
                month=month,
                roll=roll,
                submitted_at=submitted_at,
                operating_hours_cap=d.month_end.day * 24,
                chp=enterprise.pk in chp_enterprises,
                file_label=f"{enterprise.uscc} {year}-{(5 if reused else month):02d}",
                returned=returned_now or returned_before,
                corrected=returned_before,
                now=now,
                submitter=submitter,
                reviewer=reviewer,
            )
            tally["evidencesubmission created"] += 1


def _seed_month(
    enterprise: Enterprise,
    *,
    year: int,
    month: int,
    roll: float,
    submitted_at: datetime,
    operating_hours_cap: int,
    chp: bool,
    file_label: str,
    returned: bool,
    corrected: bool,
    now: datetime,
    submitter: User,
    reviewer: User,
) -> None:
    """One month's evidence, submitted, then reviewed two days later (returned, corrected and
    accepted four days after that, as `returned` and `corrected` say) as far as `now`."""
    size = D(40000 + int(_pick(enterprise.uscc) * 120000))
    fuel = (size * D(1 + (roll - 0.5) / 5)).quantize(D("0.001"))
    # MWh generated per tonne of coal, from an old small plant's 1.5 to a large one's 2.3; heat
    # only where the enterprise has a CHP unit.
    rate = D("1.5") + D(int(_pick(f"{enterprise.uscc}:rate") * 80)) / 100
    heat_rate = D("3.1") if chp else D(0)
    submission = save_audited(
        EvidenceSubmission(
            enterprise=enterprise,
            year=year,
            month=month,
            status=EvidenceStatus.SUBMITTED,
            fuel_consumption_t=fuel,
            ncv_gj_per_t=D("17.2") + D(int(roll * 30)) / 10,
            carbon_content_tc_per_gj=None if roll < 0.1 else D("0.0265"),
            purchased_mwh=D(100 + int(roll * 400)),
            generation_mwh=(fuel * rate).quantize(D("0.001")),
            supply_mwh=(fuel * rate * D("0.93")).quantize(D("0.001")),
            heat_gj=(fuel * heat_rate).quantize(D("0.001")),
            operating_hours=D(min(600 + int(roll * 120), operating_hours_cap)),
            load_factor=D("72") + D(int(roll * 200)) / 10,
            first_submitted_at=submitted_at,
            submitted_at=submitted_at,
        ),
        actor=submitter,
    )
    begin(submission, actor=submitter)
    services.evidence_file_store(
        submission=submission,
        upload=SimpleUploadedFile(f"{month:02d}月存证.pdf", _demo_pdf(file_label)),
        actor=submitter,
    )
    reviewed_at = submitted_at + timedelta(days=2)
    if reviewed_at > now:
        return  # awaiting review
    if returned:
        services.evidence_review(
            submission=submission,
            accept=False,
            comment=RETURN_COMMENTS[month % len(RETURN_COMMENTS)],
            actor=reviewer,
            now=reviewed_at,
        )
        reviewed_at += timedelta(days=4)
        if not corrected or reviewed_at - timedelta(days=1) > now:
            return  # awaiting correction
        advance(
            submission,
            to=EvidenceStatus.SUBMITTED,
            actor=submitter,
            fields={"submitted_at": reviewed_at - timedelta(days=1)},
        )
        if reviewed_at > now:
            return  # corrected, awaiting review again
    services.evidence_review(
        submission=submission, accept=True, comment="", actor=reviewer, now=reviewed_at
    )
