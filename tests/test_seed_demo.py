"""`manage.py seed_demo`: the demonstration data, valid and idempotent."""

from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.utils import timezone

import enterprises.demo
from baotou_carbon.accounts.models import User
from baotou_carbon.accounts.roles import Role
from baotou_carbon.dashboard.management.commands.seed_demo import DEMO_PASSWORD, demo_module
from enterprises.models import (
    AllocationCategory,
    Contact,
    District,
    Enterprise,
    Facility,
    FacilityKind,
    GeneratingUnit,
    Industry,
    KeyEmitterListing,
    VerificationAgency,
)
from enterprises.validators import validate_uscc
from verification.demo import evidence_months
from verification.models import EvidenceSubmission, VerificationCase
from verification.selectors import gain_total

# The demo's story (visits to 31 January 2024, trainings of 2023, 2023's monthly evidence reviewed
# into February 2024) is in the past: the product checks visits and attendance against today.
pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive(today="2024-06-01")]

MODELS: list[type[Any]] = [
    Enterprise,
    KeyEmitterListing,
    Contact,
    Facility,
    GeneratingUnit,
    VerificationAgency,
    User,
]
# DOMAIN §1: the four enterprises whose captive power plants count as the power sector.
NAMED_HOLDERS = [
    "内蒙古希铝新材料科技有限公司",
    "包头铝业有限公司",
    "包钢集团热电有限责任公司",
    "白云鄂博选矿有限责任公司",
]
LOGINS = {
    "admin": Role.ADMINISTRATOR,
    "staff": Role.BUREAU_STAFF,
    "manager": Role.BUREAU_MANAGER,
    "enterprise": Role.ENTERPRISE,
    "enterprise2": Role.ENTERPRISE,
    "agency": Role.AGENCY,
    "reviewer": Role.DISTRICT_REVIEWER,
}


def seed() -> str:
    out = StringIO()
    # pytest-django runs with DEBUG off, as production does.
    call_command("seed_demo", "--allow-without-debug", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows and history rows of every model the seeding writes."""
    counts = {}
    for model in MODELS:
        counts[model.__name__] = model.objects.count()
        counts[f"{model.__name__} history"] = model.history.count()
    return counts


def test_it_gives_the_same_counts_and_writes_nothing_on_a_second_run():
    seed()
    first = row_counts()
    output = seed()
    assert row_counts() == first
    assert " created" not in output and " updated" not in output


def test_it_seeds_a_registry_of_realistic_size():
    seed()
    assert Enterprise.objects.count() >= 24
    assert GeneratingUnit.objects.count() >= 30
    assert VerificationAgency.objects.count() == 2
    usernames = set(User.objects.values_list("username", flat=True))
    assert set(LOGINS) <= usernames
    # The assistance demo adds inspectors for its draws: bureau staff; the other enterprises
    # with generating units and the second agency have their logins (`ent-<key>`, `agency2`),
    # each bound to its record.
    extra = User.objects.exclude(username__in=LOGINS)
    assert set(extra.values_list("role", flat=True)) <= {
        Role.BUREAU_STAFF,
        Role.ENTERPRISE,
        Role.AGENCY,
    }
    for user in extra.exclude(role=Role.BUREAU_STAFF):
        assert user.username.startswith("ent-") or user.username == "agency2"
        assert user.enterprise_id or user.agency_id


def test_it_restores_records_changed_since_the_last_run():
    seed()
    enterprise = Enterprise.objects.get(name_zh="包头铝业有限公司")
    Enterprise.objects.filter(pk=enterprise.pk).update(name_en="renamed")
    user = User.objects.get(username="staff")
    user.set_password("something-else")
    user.save()

    seed()

    assert Enterprise.objects.get(pk=enterprise.pk).name_en == "Baotou Aluminum Co., Ltd."
    assert User.objects.get(username="staff").check_password(DEMO_PASSWORD)


@pytest.mark.parametrize("name_zh", NAMED_HOLDERS)
def test_it_gives_the_four_named_enterprises_captive_power_units(name_zh):
    seed()
    enterprise = Enterprise.objects.get(name_zh=name_zh)
    units = GeneratingUnit.objects.filter(
        facility__enterprise=enterprise, facility__kind=FacilityKind.CAPTIVE_POWER
    )
    assert units.exists()
    listings = enterprise.listings.order_by("year")
    # Listed every year from the story's first to the day of seeding (pinned: 2024-06-01).
    assert [(listing.year, listing.sector) for listing in listings] == [
        (year, Industry.POWER) for year in (2021, 2022, 2023, 2024)
    ]
    assert enterprise.registry_account


def test_it_gives_every_credit_code_a_valid_check_character_and_the_district_region():
    seed()
    for enterprise in Enterprise.objects.all():
        validate_uscc(enterprise.uscc)
        assert enterprise.uscc[2:8] == enterprise.district
    for agency in VerificationAgency.objects.all():
        validate_uscc(agency.uscc)


def test_it_makes_every_unit_pass_full_clean():
    seed()
    for unit in GeneratingUnit.objects.all():
        unit.full_clean()


def test_it_covers_every_allocation_category_and_the_300_mw_boundary():
    seed()
    categories = set(GeneratingUnit.objects.values_list("allocation_category", flat=True))
    assert categories == set(AllocationCategory.values)
    # Exactly 300 MW belongs to "300 MW and below" (DOMAIN §4).
    at_300 = GeneratingUnit.objects.filter(capacity_mw=Decimal("300"))
    assert at_300.exists()
    assert set(at_300.values_list("allocation_category", flat=True)) == {
        AllocationCategory.COAL_300_AND_BELOW
    }


def test_it_covers_all_nine_districts():
    seed()
    assert set(Enterprise.objects.values_list("district", flat=True)) == set(District.values)


def test_it_gives_each_enterprise_exactly_one_primary_contact():
    seed()
    for enterprise in Enterprise.objects.all():
        assert enterprise.contacts.filter(is_primary=True).count() == 1


def test_it_has_one_login_per_role():
    seed()
    roles = dict(User.objects.values_list("username", "role"))
    assert {name: roles[name] for name in LOGINS} == LOGINS
    assert set(roles.values()) == set(Role.values)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="enterprise").enterprise.name_zh == "包头铝业有限公司"
    assert User.objects.get(username="reviewer").district == District.KUNDULUN


@pytest.mark.parametrize("username", LOGINS)
def test_it_lets_every_demo_login_sign_in_and_see_the_home_page(client, username):
    seed()
    assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.get("/").status_code == 200


def test_it_names_an_actor_on_every_history_row():
    seed()
    for model in MODELS:
        assert not model.history.filter(history_user__isnull=True).exists(), model.__name__


def test_it_leaves_nothing_behind_when_seeding_fails(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("agency seeding failed")

    monkeypatch.setattr(enterprises.demo, "_seed_agency", fail)
    with pytest.raises(RuntimeError):
        seed()
    assert Enterprise.objects.count() == 0
    assert User.objects.count() == 0


def test_it_skips_apps_without_demo_data():
    assert demo_module("enterprises.demo") is enterprises.demo
    assert demo_module("enterprises.no_such_module") is None
    assert demo_module("no_such_app.demo") is None


def test_it_refuses_to_seed_with_debug_off_unless_allowed(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-without-debug"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_it_seeds_without_the_flag_when_debug_is_on(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.filter(username="admin", is_superuser=True).exists()


@pytest.mark.date_sensitive
def test_it_lives_in_the_calendar_of_the_day_it_is_seeded():
    from allocation.demo import later_years
    from allocation.models import CompliancePosition, PositionBasis, UnitAllocation

    seed()
    today, now = timezone.localdate(), timezone.now()
    assert set(KeyEmitterListing.objects.values_list("year", flat=True)) == set(
        range(2021, today.year + 1)
    )
    # Monthly evidence for every month from the story's January to last month, none later,
    # and nothing submitted or reviewed after the moment of seeding.
    months = evidence_months(today)
    assert months[0] == (2023, 1) and months[-1] == (
        (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    )
    evidence = EvidenceSubmission.objects.all()
    seeded = set(evidence.values_list("year", "month").distinct())
    assert seeded <= set(months)
    assert len(seeded) >= len(months) - 1  # last month's may all be still ahead of their deadline
    assert not evidence.filter(Q(submitted_at__gt=now) | Q(reviewed_at__gt=now)).exists()
    assert evidence.filter(year=today.year - 1, status="accepted").count() > 200
    # The story unchanged: 2022's gain, 2023's evidence.
    assert gain_total(VerificationCase.objects.filter(year=2022)) == Decimal("118770")
    assert evidence.filter(year=2023).count() == 279
    # The bureau's figures for every year since the story that has a rule set, up to last year,
    # and the current year projected from the evidence so far.
    for year in later_years(today):
        assert UnitAllocation.objects.filter(year=year).count() == GeneratingUnit.objects.count()
    assert later_years(today)[0] == 2023
    projected = CompliancePosition.objects.filter(year=today.year, basis=PositionBasis.PROJECTED)
    assert projected.exists() == evidence.filter(year=today.year).exists()
    assert projected.exclude(status="pending").exists() == projected.exists()
