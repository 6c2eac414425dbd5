"""Factories for tests: valid by default, one keyword away from any case."""

import datetime as _dt
import random
from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone as _tz

from allocation.models import (
    CostCategory,
    CostEntry,
    CrossCheckStatus,
    Party,
    PartyFigures,
    ReliefApplication,
    ReliefKind,
    SurrenderRecord,
    UnitAllocation,
)
from assistance.models import Attendee, FollowUp, Invitation, Target, Training, Visit
from baotou_carbon.accounts.models import User
from baotou_carbon.accounts.roles import Role
from enterprises.models import (
    AllocationCategory,
    Contact,
    Cooling,
    District,
    Enterprise,
    Facility,
    FacilityKind,
    Fuel,
    GeneratingUnit,
    Industry,
    KeyEmitterListing,
    OperatingMode,
    VerificationAgency,
)
from enterprises.validators import USCC_ALPHABET, uscc_check_character
from verification.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Finding,
    GainComponent,
    VerificationCase,
)

PASSWORD = "correct-horse-battery"


def valid_uscc(n: int, region: str = "150203") -> str:
    """A valid, unique-per-n credit code: '91' + region + 9-char organisation code + check."""
    rng = random.Random(n)
    org = "".join(rng.choice(USCC_ALPHABET) for _ in range(8)) + USCC_ALPHABET[n % 31]
    first17 = f"91{region}{org}"
    return first17 + uscc_check_character(first17)


class EnterpriseFactory(factory.django.DjangoModelFactory[Enterprise]):
    class Meta:
        model = Enterprise

    name_zh = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Enterprise {n} Co., Ltd.")
    uscc = factory.Sequence(lambda n: valid_uscc(n + 1000))
    district = District.KUNDULUN
    industry = Industry.POWER


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    phone = "0472-1234567"


class ListingFactory(factory.django.DjangoModelFactory[KeyEmitterListing]):
    class Meta:
        model = KeyEmitterListing

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2022
    sector = Industry.POWER


class FacilityFactory(factory.django.DjangoModelFactory[Facility]):
    class Meta:
        model = Facility

    enterprise = factory.SubFactory(EnterpriseFactory)
    name_zh = factory.Sequence(lambda n: f"自备电厂{n}")
    kind = FacilityKind.CAPTIVE_POWER


class UnitFactory(factory.django.DjangoModelFactory[GeneratingUnit]):
    class Meta:
        model = GeneratingUnit

    facility = factory.SubFactory(FacilityFactory)
    code = factory.Sequence(lambda n: f"#{n}")
    allocation_category = AllocationCategory.COAL_300_AND_BELOW
    capacity_mw = Decimal("300.00")
    cooling = Cooling.AIR
    operating_mode = OperatingMode.CHP
    main_fuel = Fuel.COAL


class AgencyFactory(factory.django.DjangoModelFactory[VerificationAgency]):
    class Meta:
        model = VerificationAgency

    name_zh = factory.Sequence(lambda n: f"核查机构{n}")
    uscc = factory.Sequence(lambda n: valid_uscc(n + 5000, region="110000"))


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.BUREAU_STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted, **kwargs) -> None:
        if create:
            obj.save()


# Verification -----------------------------------------------------------------------------


class ChecklistTemplateFactory(factory.django.DjangoModelFactory[ChecklistTemplate]):
    class Meta:
        model = ChecklistTemplate

    name_zh = factory.Sequence(lambda n: f"核查模板{n}")


class ChecklistTemplateItemFactory(factory.django.DjangoModelFactory[ChecklistTemplateItem]):
    class Meta:
        model = ChecklistTemplateItem

    template = factory.SubFactory(ChecklistTemplateFactory)
    position = factory.Sequence(lambda n: n + 1)
    checkpoint = "fuel_consumption"
    title_zh = factory.Sequence(lambda n: f"核查要点{n}")


class VerificationCaseFactory(factory.django.DjangoModelFactory[VerificationCase]):
    class Meta:
        model = VerificationCase

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2022
    agency = factory.SubFactory(AgencyFactory)


class ChecklistItemFactory(factory.django.DjangoModelFactory[ChecklistItem]):
    class Meta:
        model = ChecklistItem

    case = factory.SubFactory(VerificationCaseFactory)
    position = factory.Sequence(lambda n: n + 1)
    checkpoint = "ncv"
    title_zh = factory.Sequence(lambda n: f"检查项{n}")


class FindingFactory(factory.django.DjangoModelFactory[Finding]):
    class Meta:
        model = Finding

    case = factory.SubFactory(VerificationCaseFactory)
    description = "部分月份元素碳含量未检测"
    rectification_deadline = date(2023, 5, 31)


class GainComponentFactory(factory.django.DjangoModelFactory[GainComponent]):
    class Meta:
        model = GainComponent

    case = factory.SubFactory(VerificationCaseFactory)
    cause = "measured_carbon"
    allocation_change_t = Decimal("0")
    emissions_change_t = Decimal("100.000")


# Assistance ---------------------------------------------------------------------------------


class VisitFactory(factory.django.DjangoModelFactory[Visit]):
    """A done on-site visit yesterday; `enterprises=[...]` and `staff=[...]` set the members."""

    class Meta:
        model = Visit
        skip_postgeneration_save = True

    mode = "on_site"
    status = "done"
    occasion = "national_supervision"
    started_at = factory.LazyFunction(lambda: _tz.now() - _dt.timedelta(days=1))
    topics = factory.LazyFunction(lambda: ["fuel_consumption"])
    problems = "月度存证燃煤低位发热量缺失"
    advice = "补充入厂煤化验记录"

    @factory.post_generation
    def enterprises(obj, create, extracted, **kwargs):
        if create:
            obj.enterprises.set(extracted if extracted is not None else [EnterpriseFactory()])

    @factory.post_generation
    def staff(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.staff.set(extracted)


class FollowUpFactory(factory.django.DjangoModelFactory[FollowUp]):
    class Meta:
        model = FollowUp

    visit = factory.SubFactory(VisitFactory)
    enterprise = factory.LazyAttribute(lambda o: o.visit.enterprises.first())
    action = "补传2023年3月入厂煤元素碳检测报告"
    owner = "张工"
    due_on = factory.LazyFunction(lambda: _tz.localdate() + _dt.timedelta(days=14))


class TrainingFactory(factory.django.DjangoModelFactory[Training]):
    class Meta:
        model = Training

    title = factory.Sequence(lambda n: f"碳排放核查培训{n}")
    mode = "on_site"
    held_on = factory.LazyFunction(lambda: _tz.localdate() - _dt.timedelta(days=7))
    experts = "王专家"


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    training = factory.SubFactory(TrainingFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)


class AttendeeFactory(factory.django.DjangoModelFactory[Attendee]):
    class Meta:
        model = Attendee

    invitation = factory.SubFactory(InvitationFactory)
    name = factory.Sequence(lambda n: f"参训人{n}")
    attended = True


class TargetFactory(factory.django.DjangoModelFactory[Target]):
    class Meta:
        model = Target

    year = 2023
    measure = "on_site_visits"
    target = 40


# Allocation --------------------------------------------------------------------------------


class UnitAllocationFactory(factory.django.DjangoModelFactory[UnitAllocation]):
    """A unit's allocation data for 2022, still with the bureau (no steps recorded: tests that
    need the workflow's history go through the services)."""

    class Meta:
        model = UnitAllocation

    unit = factory.SubFactory(UnitFactory)
    year = 2022
    status = CrossCheckStatus.PRELIMINARY


class PartyFiguresFactory(factory.django.DjangoModelFactory[PartyFigures]):
    """A party's figures for a 300 MW air-cooled CHP coal unit in 2022."""

    class Meta:
        model = PartyFigures

    unit_allocation = factory.SubFactory(UnitAllocationFactory)
    party = Party.BUREAU
    supplied_mwh = Decimal("1000000")
    heat_gj = Decimal("500000")
    heat_ratio = Decimal("0.25")
    load_factor = Decimal("0.80")
    cooling = Cooling.AIR
    operating_mode = OperatingMode.CHP
    entered_by = factory.SubFactory("tests.factories.UserFactory", role=Role.BUREAU_STAFF)


class SurrenderRecordFactory(factory.django.DjangoModelFactory[SurrenderRecord]):
    class Meta:
        model = SurrenderRecord

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2022
    recorded_by = factory.SubFactory("tests.factories.UserFactory", role=Role.BUREAU_STAFF)


class ReliefApplicationFactory(factory.django.DjangoModelFactory[ReliefApplication]):
    """A draft advance application for 2022 (status set directly: no steps recorded)."""

    class Meta:
        model = ReliefApplication

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2022
    kind = ReliefKind.ADVANCE
    requested_t = Decimal("1000")
    reason = "电价倒挂，经营困难"
    created_by = factory.SubFactory(
        "tests.factories.UserFactory",
        role=Role.ENTERPRISE,
        enterprise=factory.SelfAttribute("..enterprise"),
    )


class CostEntryFactory(factory.django.DjangoModelFactory[CostEntry]):
    """A fee of 1,000 yuan for 2022, entered by a staff user (written directly: no recompute)."""

    class Meta:
        model = CostEntry

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2022
    category = CostCategory.VERIFICATION_CONSULTING
    amount_yuan = Decimal("1000.00")
    occurred_on = date(2023, 5, 10)
    description = "核查咨询费"
    created_by = factory.SubFactory(UserFactory)
