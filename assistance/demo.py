"""Demonstration data for assistance, loaded by `manage.py seed_demo` after the registry's.

It reproduces DOMAIN §1: by 31 January 2024 more than 40 on-site assistance visits and more
than 80 remote guidance sessions, spread over the demo enterprises and the occasions the
bureau rode on (national supervision, the autonomous region's special assistance, "double
random, one public", verification, enterprise requests), with the problems verification
keeps finding and follow-ups in every state; two on-site trainings and one online training
on the three topics, with attendance; the 2023 and 2024 targets; and one published draw.

Everything is generated from a fixed seed, so every run plans the same records; `seed()` is
idempotent: a record found by its natural key (a visit by its start time and mode, a training
by its title, a draw by its title) is left alone, so a second run writes nothing.
"""

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from baotou_carbon.accounts.demo import login_fields, upsert_user
from baotou_carbon.accounts.models import User
from baotou_carbon.accounts.roles import Role
from baotou_carbon.core.audit import save_audited
from baotou_carbon.core.checkpoints import Checkpoint
from baotou_carbon.core.workflow import advance
from enterprises.models import Enterprise

from . import services
from .models import (
    Attendee,
    Draw,
    FollowUp,
    FollowUpStatus,
    Invitation,
    Measure,
    Mode,
    Occasion,
    Target,
    Training,
    TrainingMode,
    TrainingTopic,
    Visit,
    VisitStatus,
)
from .selectors import draw_pool
from .services import FollowUpInput

RANDOM_SEED = 20240131
SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2023, 1, 4)
STORY_DAY = date(2024, 1, 31)  # DOMAIN §1: "by January 2024"
ENTERPRISE_COUNT = 24
MIN_STAFF = 4

# username → full name of the extra staff made when the registry demo has too few.
EXTRA_STAFF = {"staff2": "赵敏", "staff3": "孙立军", "staff4": "马晓燕", "staff5": "韩磊"}

# How many visits of each mode ride on each occasion (on-site 42 + 4 drawn = 46; remote 88).
ON_SITE_OCCASIONS = {
    Occasion.NATIONAL_SUPERVISION: 10,
    Occasion.REGIONAL_SPECIAL: 11,
    Occasion.DOUBLE_RANDOM: 4,
    Occasion.VERIFICATION: 12,
    Occasion.ENTERPRISE_REQUEST: 4,
    Occasion.OTHER: 1,
}
REMOTE_OCCASIONS = {
    Occasion.NATIONAL_SUPERVISION: 8,
    Occasion.REGIONAL_SPECIAL: 10,
    Occasion.VERIFICATION: 22,
    Occasion.ENTERPRISE_REQUEST: 42,
    Occasion.OTHER: 6,
}
# The months each occasion happened in (the campaigns of 2023).
OCCASION_MONTHS = {
    Occasion.NATIONAL_SUPERVISION: [(2023, 3), (2023, 4), (2023, 5)],
    Occasion.REGIONAL_SPECIAL: [(2023, 7), (2023, 8), (2023, 9)],
    Occasion.DOUBLE_RANDOM: [(2023, 10), (2023, 11)],
    Occasion.VERIFICATION: [(2023, 4), (2023, 5), (2023, 6)],
    Occasion.ENTERPRISE_REQUEST: [(y, m) for y in (2023,) for m in range(1, 13)] + [(2024, 1)],
    Occasion.OTHER: [(2023, 2), (2023, 12), (2024, 1)],
}


@dataclass(frozen=True)
class Problem:
    topic: str
    problem: str
    advice: str
    action: str


PROBLEMS = [
    Problem(
        Checkpoint.FUEL_CONSUMPTION,
        "入炉煤消耗量以入厂煤量代替，未按月盘库调整。",
        "以入炉煤皮带秤计量为准，月末盘库并保存盘点记录。",
        "补齐2023年1—6月入炉煤盘库记录并重新核算燃煤消耗量",
    ),
    Problem(
        Checkpoint.NET_CALORIFIC_VALUE,
        "部分月份入炉煤低位发热量缺少化验原始记录，日报与月报数据不一致。",
        "按日化验、按月加权平均，原始化验单与月报一并存证。",
        "补传缺失月份低位发热量化验原始记录",
    ),
    Problem(
        Checkpoint.CARBON_SAMPLING,
        "元素碳含量未按月缩分留样，委托检测机构不具备CMA资质。",
        "每月制备缩分样并留存一年，委托具备CMA或CNAS资质的机构检测。",
        "更换具备资质的检测机构并补测留存样品",
    ),
    Problem(
        Checkpoint.PURCHASED_ELECTRICITY,
        "外购电量未扣除转供给其他单位的电量。",
        "以电网结算单为准，转供电量单独计量并扣减。",
        "提供转供电计量表读数及结算凭证",
    ),
    Problem(
        Checkpoint.METERS,
        "供电量关口表检定证书过期，无法证明计量准确性。",
        "及时送检，检定期间以备用表或上网电量结算单佐证。",
        "完成关口表检定并上传检定证书",
    ),
    Problem(
        Checkpoint.HEAT,
        "供热量以热用户结算单代替，缺少热量表读数。",
        "以机组出口热量表计量为准，结算单作为交叉核对依据。",
        "补充供热量热量表月度读数",
    ),
    Problem(
        Checkpoint.LOAD_FACTOR,
        "运行小时数与DCS记录不一致，负荷（出力）系数计算有误。",
        "运行小时以DCS导出数据为准，按指南公式重新计算负荷系数。",
        "导出DCS运行小时数据并更正负荷系数",
    ),
    Problem(
        Checkpoint.UNIT_CLASSIFICATION,
        "循环流化床机组按常规燃煤机组申报，认定依据不足。",
        "提供锅炉设计文件和燃料来源证明，按机组类别规定申报。",
        "提交锅炉型式及燃料构成证明材料",
    ),
    Problem(
        Checkpoint.MONTHLY_EVIDENCE_CONSISTENCY,
        "月度存证数据与年度排放报告数据不一致。",
        "以月度存证为基础编制年度报告，差异逐项说明原因。",
        "编制月度存证与年报差异说明",
    ),
    Problem(
        Checkpoint.ACCOUNTING_REPORT_ERRORS,
        "排放报告中单位热值含碳量缺省值引用有误，未使用0.03085 tCO2/GJ的2021—2022年取值。",
        "核对指南缺省值年份，实测值有效的月份优先使用实测值。",
        "修改排放报告缺省值并重新提交",
    ),
    Problem(
        Checkpoint.MONTHLY_EVIDENCE_STORAGE,
        "月度信息化存证未在截止日期前上传，缺少化验报告等支撑材料。",
        "指定专人负责，每月20日前上传燃料、化验、电量及支撑文件。",
        "补传逾期月份的存证支撑材料",
    ),
]

OWNERS = ["能源管理部 王工", "燃料管理部 李工", "生产技术部 张工", "化验室 刘主任", "安环部 陈工"]


@dataclass(frozen=True)
class DemoTraining:
    title: str
    mode: str
    held_on: date
    location: str
    experts: str
    topics: tuple[int, ...]  # positions among the seeded training topics
    feedback: str


TRAININGS = [
    DemoTraining(
        title="碳排放数据核查关键核查点培训",
        mode=TrainingMode.ON_SITE,
        held_on=date(2023, 5, 18),
        location="包头市生态环境局三楼会议室",
        experts="自治区碳排放核查技术专家 高建军\n核查机构技术负责人 宋丽",
        topics=(0,),
        feedback="企业普遍反映核查点清单实用；建议增加元素碳检测留样的现场演示。",
    ),
    DemoTraining(
        title="排放报告易错点与月度存证要求培训",
        mode=TrainingMode.ON_SITE,
        held_on=date(2023, 8, 24),
        location="包头市生态环境局三楼会议室",
        experts="自治区碳排放核查技术专家 高建军\n生态环境部环境规划院 专家 何敏",
        topics=(1, 2),
        feedback="对缺省值引用和负荷系数计算的讲解最受欢迎；希望提供报告自查表。",
    ),
    DemoTraining(
        title="月度信息化存证实务（线上）",
        mode=TrainingMode.ONLINE,
        held_on=date(2023, 11, 9),
        location="腾讯会议（会议号已发至企业联系人）",
        experts="核查机构技术负责人 宋丽",
        topics=(2, 0),
        feedback="线上参训方便；部分企业网络不稳定，建议提供回放。",
    ),
]

TARGETS = {
    2023: {
        Measure.ON_SITE_VISITS: 40,
        Measure.REMOTE_SESSIONS: 80,
        Measure.ON_SITE_TRAININGS: 2,
        Measure.ONLINE_TRAININGS: 1,
    },
    2024: {
        Measure.ON_SITE_VISITS: 45,
        Measure.REMOTE_SESSIONS: 90,
        Measure.ON_SITE_TRAININGS: 2,
        Measure.ONLINE_TRAININGS: 2,
    },
}

ATTENDEE_NAMES = [
    "张",
    "王",
    "李",
    "赵",
    "刘",
    "陈",
    "杨",
    "黄",
    "周",
    "吴",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "林",
    "高",
    "罗",
]
GIVEN = ["建国", "丽", "海燕", "志强", "晓东", "婷", "振华", "敏", "俊", "秀兰"]
POSITIONS = ["能源管理员", "化验室主任", "统计员", "生产技术部部长", "碳排放管理专员"]

DRAW_TITLE = "2023年碳排放数据质量“双随机、一公开”抽查（第一批）"
DRAW_SEED = "8214630975521440417"


def _local(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _day_in(rng: random.Random, year: int, month: int) -> date:
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    last = min(last, STORY_DAY)
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    if day.weekday() >= 5:  # the bureau works Monday to Friday
        monday = day + timedelta(days=7 - day.weekday())
        friday = day - timedelta(days=day.weekday() - 4)
        day = monday if monday <= last else friday
    return max(day, FIRST_DAY)


def _staff(*, actor, password, tally: Counter) -> list[User]:
    staff = list(User.objects.filter(role=Role.BUREAU_STAFF, is_active=True).order_by("username"))
    if len(staff) >= MIN_STAFF:
        return staff
    for username, full_name in EXTRA_STAFF.items():
        if len(staff) >= MIN_STAFF:
            break
        if any(u.username == username for u in staff):
            continue
        fields = login_fields(
            role=Role.BUREAU_STAFF, full_name=full_name, email=f"{username}@demo.example.cn"
        )
        if password:
            staff.append(
                upsert_user(username, password=password, actor=actor, tally=tally, **fields)
            )
        else:
            user = User.objects.filter(username=username).first() or User(username=username)
            for name, value in fields.items():
                setattr(user, name, value)
            user.set_unusable_password()
            save_audited(user, actor=actor or user)
            tally["user created"] += 1
            staff.append(user)
    return staff


@dataclass
class PlannedVisit:
    started_at: datetime
    mode: str
    occasion: str
    enterprises: list
    staff: list
    problems: list[Problem]
    follow_up_states: Sequence[str]


def _plan_visits(rng: random.Random, enterprises: list, staff: list) -> list[PlannedVisit]:
    plans: list[PlannedVisit] = []
    used: set[tuple] = set()
    for mode, occasions in ((Mode.ON_SITE, ON_SITE_OCCASIONS), (Mode.REMOTE, REMOTE_OCCASIONS)):
        for occasion, count in occasions.items():
            months = OCCASION_MONTHS[occasion]
            for i in range(count):
                year, month = months[i % len(months)]
                day = _day_in(rng, year, month)
                hour = 9 + rng.randrange(8) if mode == Mode.ON_SITE else 9 + rng.randrange(9)
                minute = rng.choice([0, 10, 20, 30, 40, 50])
                while (day, hour, minute, mode) in used:
                    minute = (minute + 5) % 60
                used.add((day, hour, minute, mode))
                many = mode == Mode.ON_SITE and occasion == Occasion.NATIONAL_SUPERVISION
                visited = rng.sample(enterprises, 2 if many and i % 3 == 0 else 1)
                team = rng.sample(staff, 2 if mode == Mode.ON_SITE else 1)
                problems = rng.sample(PROBLEMS, rng.choice([1, 2, 2, 3]))
                states = [
                    rng.choices(
                        [
                            FollowUpStatus.CLOSED,
                            FollowUpStatus.CONFIRMED,
                            FollowUpStatus.ANSWERED,
                            FollowUpStatus.OPEN,
                        ],
                        weights=[70, 12, 8, 10],
                    )[0]
                    for _ in problems[: rng.choice([0, 1, 1, 2])]
                ]
                plans.append(
                    PlannedVisit(
                        started_at=_local(day, hour, minute),
                        mode=mode,
                        occasion=occasion,
                        enterprises=visited,
                        staff=team,
                        problems=problems,
                        follow_up_states=states,
                    )
                )
    return sorted(plans, key=lambda p: p.started_at)


def _apply_state(follow_up: FollowUp, state: str, *, rng: random.Random, actor) -> None:
    """Bring a demo follow-up to `state` as it stood on the story day."""
    if state == FollowUpStatus.OPEN:
        return
    answered = min(follow_up.due_on - timedelta(days=rng.randrange(0, 5)), STORY_DAY)
    fields: dict[str, object] = {"answered_at": _local(answered, 16, 0)}
    if state == FollowUpStatus.ANSWERED:
        fields["answer"] = "已按要求整改，相关材料已上传月度存证系统，请审核。"
    elif state == FollowUpStatus.CONFIRMED:
        fields["answer"] = "已完成。"
    else:
        fields["answer"] = "已完成整改并上传材料。"
        closed = min(answered + timedelta(days=rng.randrange(1, 6)), STORY_DAY)
        fields["closed_at"] = _local(closed, 10, 0)
        fields["closing_note"] = "经核实已整改到位。"
    advance(follow_up, to=state, actor=actor, note="demo", fields=fields)


def _seed_visits(plans: list[PlannedVisit], *, actor, tally: Counter) -> None:
    for plan in plans:
        if Visit.objects.filter(started_at=plan.started_at, mode=plan.mode).exists():
            tally["visit unchanged"] += 1
            continue
        # Its own generator: skipping a visit that exists changes nothing for the others.
        rng = random.Random(f"{RANDOM_SEED}-{plan.mode}-{plan.started_at.isoformat()}")  # noqa: S311
        day = plan.started_at.date()
        follow_ups = []
        for problem, _state in zip(plan.problems, plan.follow_up_states, strict=False):
            follow_ups.append(
                FollowUpInput(
                    action=problem.action,
                    owner=rng.choice(OWNERS),
                    due_on=day + timedelta(days=rng.choice([7, 14, 15, 30])),
                    enterprise=rng.choice(plan.enterprises),
                )
            )
        visit = services.visit_create(
            actor=plan.staff[0],
            enterprises=plan.enterprises,
            staff=plan.staff,
            follow_ups=follow_ups,
            mode=plan.mode,
            status=VisitStatus.DONE,
            started_at=plan.started_at,
            occasion=plan.occasion,
            topics=list(dict.fromkeys(p.topic for p in plan.problems)),
            problems="\n".join(p.problem for p in plan.problems),
            advice="\n".join(p.advice for p in plan.problems),
        )
        created = visit.follow_ups.order_by("pk")
        for follow_up, state in zip(created, plan.follow_up_states, strict=True):
            _apply_state(follow_up, state, rng=rng, actor=actor or plan.staff[0])
            tally["follow-up created"] += 1
        tally["visit created"] += 1


def _seed_login_follow_ups(staff: list, *, actor, tally: Counter) -> None:
    """One open follow-up for each enterprise that has a demo login, so the demo shows the
    enterprise's side: confirm or answer."""
    logins = User.objects.filter(role=Role.ENTERPRISE, enterprise__isnull=False).order_by(
        "username"
    )
    for i, login in enumerate(logins.select_related("enterprise")):
        hour, minute = divmod(14 * 60 + 5 + 10 * i, 60)  # ten minutes apart from 14:05
        started_at = _local(STORY_DAY - timedelta(days=1), hour, minute)
        if Visit.objects.filter(started_at=started_at, mode=Mode.REMOTE).exists():
            tally["visit unchanged"] += 1
            continue
        problem = PROBLEMS[-1]  # monthly evidence storage: the most common finding
        services.visit_create(
            actor=staff[0],
            enterprises=[login.enterprise],
            staff=[staff[0]],
            follow_ups=[
                FollowUpInput(action=problem.action, owner=OWNERS[0], due_on=date(2024, 2, 29))
            ],
            mode=Mode.REMOTE,
            status=VisitStatus.DONE,
            started_at=started_at,
            occasion=Occasion.ENTERPRISE_REQUEST,
            topics=[problem.topic],
            problems=problem.problem,
            advice=problem.advice,
        )
        tally["visit created"] += 1
        tally["follow-up created"] += 1


def _seed_draw(enterprises, staff, *, actor, tally: Counter) -> None:
    if Draw.objects.filter(title=DRAW_TITLE).exists():
        tally["draw unchanged"] += 1
        return
    listed = list(draw_pool(listed_year=2023).values_list("pk", flat=True))
    draw = services.draw_create(
        actor=actor or staff[0],
        title=DRAW_TITLE,
        pool_filter={"listed_year": 2023} if listed else {},
        enterprise_pool=listed or [e.pk for e in enterprises],
        inspector_pool=[u.pk for u in staff],
        enterprise_count=4,
        inspectors_per_enterprise=2,
        planned_on=date(2023, 10, 17),
        seed=DRAW_SEED,
        drawn_at=_local(date(2023, 10, 9), 10, 0),
    )
    for i, visit in enumerate(draw.visits.order_by("pk")):
        problem = PROBLEMS[(i * 3) % len(PROBLEMS)]
        visit.status = VisitStatus.DONE
        visit.started_at = _local(date(2023, 10, 17 + i), 8, 15)
        visit.topics = [problem.topic]
        visit.problems = problem.problem
        visit.advice = problem.advice
        save_audited(visit, actor=actor or staff[0])
    tally["draw created"] += 1


def _seed_trainings(enterprises, *, actor, tally: Counter) -> None:
    topics = list(TrainingTopic.objects.order_by("pk")[:3])
    for spec in TRAININGS:
        if Training.objects.filter(title=spec.title).exists():
            tally["training unchanged"] += 1
            continue
        rng = random.Random(f"{RANDOM_SEED}-{spec.title}")  # noqa: S311
        invited = enterprises if spec.mode == TrainingMode.ONLINE else enterprises[:18]
        training = services.training_save(
            actor=actor,
            title=spec.title,
            mode=spec.mode,
            held_on=spec.held_on,
            location=spec.location,
            experts=spec.experts,
            feedback=spec.feedback,
            topics=[topics[i] for i in spec.topics if i < len(topics)],
            invited=invited,
        )
        for invitation in Invitation.objects.filter(training=training).order_by("pk"):
            for _ in range(rng.choice([1, 1, 2])):
                attendee = Attendee(
                    invitation=invitation,
                    name=rng.choice(ATTENDEE_NAMES) + rng.choice(GIVEN),
                    position=rng.choice(POSITIONS),
                    attended=rng.random() > 0.12,
                    rating=rng.choice([None, 4, 5, 5]),
                )
                save_audited(attendee, actor=actor)
                tally["attendee created"] += 1
        tally["training created"] += 1


def _seed_targets(*, actor, tally: Counter) -> None:
    for year, values in TARGETS.items():
        for measure, value in values.items():
            if Target.objects.filter(year=year, measure=measure).exists():
                tally["target unchanged"] += 1
                continue
            save_audited(Target(year=year, measure=measure, target=value), actor=actor)
            tally["target created"] += 1


@transaction.atomic
def seed(*, actor=None, password: str | None = None, stdout=None) -> Counter:
    """Create the assistance demo records that are missing; return what happened per model.

    `actor` (the seeding administrator) is named on the history rows written for the bureau
    as a whole; visits are attributed to the staff member who led them. Extra staff logins
    get `password` (an unusable password without one)."""
    tally: Counter = Counter()
    enterprises = list(Enterprise.objects.filter(is_active=True).order_by("pk")[:ENTERPRISE_COUNT])
    if len(enterprises) < 4:
        if stdout:
            stdout.write("  no registry demo data yet: assistance demo skipped")
        return tally
    staff = _staff(actor=actor, password=password, tally=tally)
    actor = actor or staff[0]
    rng = random.Random(RANDOM_SEED)  # noqa: S311 - demo data, reproducible on purpose
    _seed_targets(actor=actor, tally=tally)
    _seed_visits(_plan_visits(rng, enterprises, staff), actor=actor, tally=tally)
    _seed_login_follow_ups(staff, actor=actor, tally=tally)
    _seed_draw(enterprises, staff, actor=actor, tally=tally)
    _seed_trainings(enterprises, actor=actor, tally=tally)
    if stdout:
        for outcome, count in sorted(tally.items()):
            stdout.write(f"  {outcome}: {count}")
    return tally
