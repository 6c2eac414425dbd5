"""Errors corrected through assistance (DOMAIN §1, measure 2): on the visit page, staff record
or clear the allowances (t) a follow-up corrected and the data year they count for; the
assistance measure's savings follow once the change commits."""

from decimal import Decimal

import pytest
from django.urls import reverse

from allocation.models import Measure, SavingsFigure
from assistance.models import FollowUp

from .factories import FollowUpFactory, VisitFactory

D = Decimal

PERSONAS = [
    "staff",
    "admin",
    "manager",
    "enterprise_a_user",
    "enterprise_b_user",
    "agency_user",
    "district_reviewer",
]
# staff, admin, manager, enterprise A (owes the follow-up), enterprise B, agency, the reviewer
# of enterprise A's district
CORRECT = (302, 302, 403, 403, 404, 404, 403)


@pytest.fixture
def follow_up(personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a], staff=[personas.staff])
    return FollowUpFactory(visit=visit, enterprise=personas.enterprise_a)


def correct(client, follow_up, tonnes, year):
    prefix = f"correction-{follow_up.pk}"
    return client.post(
        reverse("assistance:follow_up_correction", args=[follow_up.pk]),
        {f"{prefix}-corrected_t": tonnes, f"{prefix}-corrected_year": year},
    )


def test_it_lets_only_staff_record_a_correction(client, personas, follow_up):
    assert correct(client, follow_up, "10", "2022").status_code == 302  # to the login page
    target = reverse("assistance:follow_up_correction", args=[follow_up.pk])
    assert client.get(target).status_code == 405  # POST only
    for persona, expected in zip(PERSONAS, CORRECT, strict=True):
        FollowUp.objects.filter(pk=follow_up.pk).update(corrected_t=None, corrected_year=None)
        client.force_login(getattr(personas, persona))
        assert correct(client, follow_up, "10", "2022").status_code == expected, persona
        follow_up.refresh_from_db()
        assert (follow_up.corrected_t is not None) == (expected == 302), persona


def test_it_records_shows_and_clears_a_correction_and_recomputes_the_savings(
    client, personas, follow_up, django_capture_on_commit_callbacks
):
    client.force_login(personas.staff)
    page = client.get(follow_up.visit.get_absolute_url()).content.decode()
    assert 'data-testid="correction-form"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = correct(client, follow_up, "1234.5", "2022")
    assert response.status_code == 302
    assert response.url == follow_up.visit.get_absolute_url()
    follow_up.refresh_from_db()
    assert (follow_up.corrected_t, follow_up.corrected_year) == (D("1234.500"), 2022)
    figure = SavingsFigure.objects.get(
        enterprise=personas.enterprise_a, year=2022, measure=Measure.ASSISTANCE
    )
    assert (figure.gain_t, figure.price_yuan_per_t, figure.savings_yuan) == (
        D("1234.500"),
        D("79.42"),
        D("98043.99"),
    )
    # Everyone who sees the follow-up sees the correction; only staff the form.
    client.force_login(personas.enterprise_a_user)
    page = client.get(follow_up.visit.get_absolute_url()).content.decode()
    assert "1,234.500 t (data year 2022)" in page
    assert 'data-testid="correction-form"' not in page
    client.force_login(personas.staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert correct(client, follow_up, "", "").status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.corrected_t, follow_up.corrected_year) == (None, None)
    assert not SavingsFigure.objects.filter(measure=Measure.ASSISTANCE).exists()


@pytest.mark.parametrize(
    ("tonnes", "year", "field", "message"),
    [
        ("10", "", "corrected_year", "Say which data year the correction counts for."),
        ("", "2022", "corrected_t", "Enter the tonnes corrected, or clear the year."),
        ("10", "2012", "corrected_year", "Enter a reporting year from 2013."),
        ("10", "2101", "corrected_year", "Enter a reporting year up to 2100."),
        ("1.0005", "2022", "corrected_t", "no more than 3 decimal places"),
        ("abc", "2022", "corrected_t", "Enter a number."),
    ],
)
def test_it_refuses_half_a_correction_next_to_the_field(
    client, personas, follow_up, tonnes, year, field, message
):
    client.force_login(personas.staff)
    response = correct(client, follow_up, tonnes, year)
    assert response.status_code == 400
    form = next(f for _, _, f in response.context["follow_up_rows"] if f.is_bound)
    assert list(form.errors) == [field]
    assert message in form.errors[field][0]
    assert message in response.content.decode()
    follow_up.refresh_from_db()
    assert (follow_up.corrected_t, follow_up.corrected_year) == (None, None)
