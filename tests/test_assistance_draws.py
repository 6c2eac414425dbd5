""" "Double random, one public" draws (DOMAIN §6): reproducible from the published seed and
pools, fair to every enterprise of the pool, redrawn only with a reason, the first kept."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from assistance import calculations, selectors, services
from assistance.models import Draw, Visit, VisitStatus
from baotou_carbon.accounts.roles import Role
from enterprises.models import District

from .factories import EnterpriseFactory, ListingFactory, UserFactory, VerificationCaseFactory

pools = st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=60, unique=True)


@given(
    seed=st.integers(min_value=0, max_value=2**64 - 1),
    enterprises=pools,
    inspectors=pools,
    data=st.data(),
)
@settings(max_examples=200, deadline=None)
def test_it_gives_the_same_result_for_the_same_seed_and_pools(seed, enterprises, inspectors, data):
    n = data.draw(st.integers(min_value=1, max_value=len(enterprises)))
    k = data.draw(st.integers(min_value=1, max_value=len(inspectors)))
    shuffled = data.draw(st.permutations(enterprises))
    first = calculations.draw(
        seed=seed,
        enterprise_pool=enterprises,
        inspector_pool=inspectors,
        enterprise_count=n,
        inspectors_per_enterprise=k,
    )
    again = calculations.draw(
        seed=seed,
        enterprise_pool=list(shuffled),  # the order the pool was collected in does not matter
        inspector_pool=list(reversed(inspectors)),
        enterprise_count=n,
        inspectors_per_enterprise=k,
    )
    assert first == again
    assert len(first.enterprises) == len(set(first.enterprises)) == n
    assert set(first.enterprises) <= set(enterprises)
    for team in first.teams.values():
        assert len(team) == len(set(team)) == k
        assert set(team) <= set(inspectors)


def test_it_pins_a_known_draw():
    # If this changes, published draws can no longer be verified: never change the algorithm.
    result = calculations.draw(
        seed=20240131,
        enterprise_pool=[5, 3, 9, 1, 7],
        inspector_pool=[30, 10, 20],
        enterprise_count=2,
        inspectors_per_enterprise=2,
    )
    expected = calculations.draw(
        seed=20240131,
        enterprise_pool=[1, 3, 5, 7, 9],
        inspector_pool=[10, 20, 30],
        enterprise_count=2,
        inspectors_per_enterprise=2,
    )
    assert result == expected
    import random

    rng = random.Random(20240131)
    chosen = rng.sample([1, 3, 5, 7, 9], 2)
    assert result.enterprises == chosen
    assert result.teams == {e: sorted(rng.sample([10, 20, 30], 2)) for e in chosen}


@pytest.mark.parametrize("size", [1, 2, 7, 25])
def test_it_can_draw_every_enterprise_of_the_pool(size):
    pool = list(range(100, 100 + size))
    seen: set[int] = set()
    for seed in range(2_000):
        seen.update(
            calculations.draw(
                seed=seed,
                enterprise_pool=pool,
                inspector_pool=[1],
                enterprise_count=1,
                inspectors_per_enterprise=1,
            ).enterprises
        )
        if len(seen) == size:
            break
    assert seen == set(pool)


def test_it_draws_each_enterprise_about_equally_often():
    pool = list(range(10))
    counts = dict.fromkeys(pool, 0)
    for seed in range(5_000):
        for e in calculations.draw(
            seed=seed,
            enterprise_pool=pool,
            inspector_pool=[1, 2],
            enterprise_count=3,
            inspectors_per_enterprise=1,
        ).enterprises:
            counts[e] += 1
    expected = 5_000 * 3 / 10
    assert all(abs(c - expected) < expected * 0.1 for c in counts.values()), counts


@pytest.mark.parametrize(
    ("n", "k"),
    [(0, 1), (1, 0), (4, 1), (1, 3)],
)
def test_it_refuses_counts_the_pools_cannot_hold(n, k):
    with pytest.raises(calculations.DrawError):
        calculations.draw(
            seed=1,
            enterprise_pool=[1, 2, 3],
            inspector_pool=[1, 2],
            enterprise_count=n,
            inspectors_per_enterprise=k,
        )


@pytest.fixture
def pool(personas):
    enterprises = [personas.enterprise_a, personas.enterprise_b, *EnterpriseFactory.create_batch(4)]
    inspectors = [personas.staff, *UserFactory.create_batch(3, role=Role.BUREAU_STAFF)]
    return enterprises, inspectors


def _create(personas, pool, **overrides):
    enterprises, inspectors = pool
    params = {
        "actor": personas.staff,
        "title": "2024年第一批双随机抽查",
        "enterprise_pool": [e.pk for e in enterprises],
        "inspector_pool": [u.pk for u in inspectors],
        "enterprise_count": 2,
        "inspectors_per_enterprise": 2,
        "planned_on": timezone.localdate() + timedelta(days=7),
    }
    params.update(overrides)
    return services.draw_create(**params)


def test_it_records_the_seed_and_pools_and_creates_planned_visits(personas, pool):
    draw = _create(personas, pool)
    assert draw.seed.isdigit() and 0 <= int(draw.seed) < 2**64
    assert draw.enterprise_pool == sorted(e.pk for e in pool[0])
    visits = list(draw.visits.prefetch_related("enterprises", "staff"))
    assert len(visits) == 2
    for visit in visits:
        assert (visit.status, visit.mode, visit.occasion) == ("planned", "on_site", "double_random")
        (enterprise,) = visit.enterprises.all()
        assert sorted(u.pk for u in visit.staff.all()) == draw.teams[str(enterprise.pk)]
    assert selectors.draw_verification(draw).matches


def test_it_reproduces_a_draw_after_the_registry_changed(personas, pool):
    draw = _create(personas, pool, seed="987654321")
    EnterpriseFactory.create_batch(3)  # the registry grows; the stored pool does not
    pool[0][2].delete()
    check = selectors.draw_verification(Draw.objects.get(pk=draw.pk))
    assert check.matches
    assert check.recomputed.enterprises == draw.drawn_enterprises


def test_it_detects_a_tampered_result(personas, pool):
    draw = _create(personas, pool)
    others = [e for e in draw.enterprise_pool if e not in draw.drawn_enterprises]
    Draw.objects.filter(pk=draw.pk).update(drawn_enterprises=[others[0], draw.drawn_enterprises[1]])
    assert not selectors.draw_verification(Draw.objects.get(pk=draw.pk)).matches


def test_it_redraws_with_a_reason_and_keeps_the_first(personas, pool):
    first = _create(personas, pool)
    params = {
        "title": "重新抽取",
        "enterprise_pool": first.enterprise_pool,
        "inspector_pool": first.inspector_pool,
        "enterprise_count": 2,
        "inspectors_per_enterprise": 2,
        "planned_on": first.planned_on,
    }
    with pytest.raises(ValidationError):
        services.draw_redraw(draw=first, actor=personas.staff, reason="  ", **params)
    second = services.draw_redraw(
        draw=first, actor=personas.staff, reason="抽中检查人员与企业存在利害关系，回避", **params
    )
    assert second.supersedes == first
    assert Draw.objects.filter(pk=first.pk).exists()
    assert set(first.visits.values_list("status", flat=True)) == {VisitStatus.CANCELLED}
    assert second.visits.filter(status=VisitStatus.PLANNED).count() == 2
    with pytest.raises(ValidationError) as again:
        services.draw_redraw(draw=first, actor=personas.staff, reason="再来一次", **params)
    assert again.value.code == "draw_superseded"


def test_it_refuses_a_redraw_once_an_inspection_took_place(personas, pool):
    draw = _create(personas, pool)
    Visit.objects.filter(draw=draw).update(status=VisitStatus.DONE)
    with pytest.raises(ValidationError) as refused:
        services.draw_redraw(
            draw=draw,
            actor=personas.staff,
            reason="x",
            title="x",
            enterprise_pool=draw.enterprise_pool,
            inspector_pool=draw.inspector_pool,
            enterprise_count=1,
            inspectors_per_enterprise=1,
            planned_on=draw.planned_on,
        )
    assert refused.value.code == "draw_visited"


@pytest.mark.date_sensitive  # planned in three days
def test_it_draws_from_the_filtered_pool_through_the_page(client, personas):
    kundulun = [
        personas.enterprise_a,
        *EnterpriseFactory.create_batch(3, district=District.KUNDULUN),
    ]
    EnterpriseFactory(district=District.KUNDULUN, is_active=False)
    for enterprise in kundulun[:3]:
        ListingFactory(enterprise=enterprise, year=2024)
    client.force_login(personas.staff)
    response = client.post(
        reverse("assistance:draw_create"),
        {
            "title": "昆都仑区2024年抽查",
            "district": District.KUNDULUN,
            "listed_year": "2024",
            "enterprise_count": "2",
            "inspectors": [personas.staff.pk, personas.admin.pk],
            "inspectors_per_enterprise": "1",
            "planned_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    draw = Draw.objects.get()
    assert response.status_code == 302
    assert draw.enterprise_pool == sorted(e.pk for e in kundulun[:3])
    assert draw.pool_filter == {"district": District.KUNDULUN, "listed_year": 2024}
    # Published: every logged-in user reads it, agency users included.
    client.force_login(personas.agency_user)
    page = client.get(draw.get_absolute_url()).content.decode()
    assert draw.seed in page
    verify = client.get(reverse("assistance:draw_verify", args=[draw.pk])).content.decode()
    assert 'data-testid="draw-matches"' in verify


@pytest.mark.date_sensitive  # planned in three days; or in the past
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"enterprise_count": "9"}, "enterprise_count", "The pool holds only 2 enterprises."),
        ({"inspectors_per_enterprise": "3"}, "inspectors_per_enterprise", "The inspector pool holds only 2 people."),
        ({"planned_on": "2020-01-01"}, "planned_on", "A planned inspection cannot be in the past."),
        ({"inspectors": []}, "inspectors", "Choose the inspectors who may be drawn."),
        ({"district": "999999"}, "district", None),
        ({"enterprise_count": "two"}, "enterprise_count", None),
    ],
)  # fmt: skip
def test_it_answers_a_bad_draw_with_messages(client, personas, overrides, field, message):
    client.force_login(personas.staff)
    data = {
        "title": "抽查",
        "enterprise_count": "1",
        "inspectors": [personas.staff.pk, personas.admin.pk],
        "inspectors_per_enterprise": "1",
        "planned_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        **overrides,
    }
    response = client.post(reverse("assistance:draw_create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    if message:
        assert errors == [message]
    assert not Draw.objects.exists()


@pytest.mark.date_sensitive  # planned in a week, the page offers no day before today
def test_it_requires_a_reason_on_the_redraw_page(client, personas, pool):
    draw = _create(personas, pool)
    client.force_login(personas.staff)
    url = reverse("assistance:draw_redraw", args=[draw.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["inspectors"] = draw.inspector_pool
    data["planned_on"] = draw.planned_on.isoformat()
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Give the reason for the redraw."]
    response = client.post(url, {**data, "reason": "企业停产，无法检查"})
    assert response.status_code == 302
    assert Draw.objects.filter(supersedes=draw).get().reason == "企业停产，无法检查"
    page = client.get(draw.get_absolute_url()).content.decode()
    assert "企业停产，无法检查" in page  # the first draw shows why it was replaced


def test_it_shows_the_verification_as_names_side_by_side(client, personas, pool):
    draw = _create(personas, pool)
    client.force_login(personas.enterprise_b_user)
    response = client.get(reverse("assistance:draw_verify", args=[draw.pk]))
    page = response.content.decode()
    check = response.context["check"]
    assert check.matches
    assert [row.position for row in check.rows] == [1, 2]
    assert all(row.matches for row in check.rows)
    assert "The published result matches a fresh draw from the recorded seed and pools." in page
    assert page.count('data-testid="check-row"') == 2
    assert page.count("✓") >= 3  # the verdict and one per row
    names = {e.pk: e.name_zh for e in pool[0]}
    people = {u.pk: str(u) for u in pool[1]}
    for row in check.rows:
        assert row.published.enterprise_label == names[row.published.enterprise_id]
        assert [str(p) for p in row.recomputed.inspectors] == [
            people[i] for i in row.recomputed.inspector_ids
        ]
        assert names[row.published.enterprise_id] in page
    # No raw id lists or programmer's notation outside the technical details.
    before, details = page.split('data-testid="technical-details"')
    assert str(draw.drawn_enterprises) not in before
    assert "random.Random" not in before and "sample(" not in before
    # The technical details still say all that is needed to repeat the draw.
    assert draw.seed in details
    assert f"random.Random({draw.seed})" in details
    assert all(names[e] in details for e in draw.enterprise_pool)
    assert all(people[i] in details for i in draw.inspector_pool)


def test_it_marks_the_rows_a_tampered_result_differs_in(client, personas, pool):
    draw = _create(personas, pool)
    others = [e for e in draw.enterprise_pool if e not in draw.drawn_enterprises]
    Draw.objects.filter(pk=draw.pk).update(drawn_enterprises=[others[0], draw.drawn_enterprises[1]])
    client.force_login(personas.staff)
    response = client.get(reverse("assistance:draw_verify", args=[draw.pk]))
    page = response.content.decode()
    assert 'data-testid="draw-differs"' in page
    assert 'data-testid="draw-matches"' not in page
    assert [row.matches for row in response.context["check"].rows] == [False, True]
    assert "The published result does not match a fresh draw" in page


def test_it_links_drawn_enterprises_only_for_users_who_may_open_them(client, personas, pool):
    draw = _create(personas, pool, enterprise_count=6, inspectors_per_enterprise=1)
    url_a = personas.enterprise_a.get_absolute_url()
    url_b = personas.enterprise_b.get_absolute_url()

    client.force_login(personas.staff)
    page = client.get(draw.get_absolute_url()).content.decode()
    assert f'href="{url_a}"' in page and f'href="{url_b}"' in page

    client.force_login(personas.enterprise_a_user)
    page = client.get(draw.get_absolute_url()).content.decode()
    assert f'href="{url_a}"' in page
    assert f'href="{url_b}"' not in page
    assert personas.enterprise_b.name_zh in page  # named, not linked

    client.force_login(personas.agency_user)
    page = client.get(draw.get_absolute_url()).content.decode()
    assert 'data-testid="enterprise-link"' not in page
    assert personas.enterprise_a.name_zh in page
    # An enterprise of one of the agency's verification cases is linked.
    VerificationCaseFactory(enterprise=personas.enterprise_b, agency=personas.agency)
    page = client.get(draw.get_absolute_url()).content.decode()
    assert f'href="{url_b}"' in page
    assert f'href="{url_a}"' not in page
