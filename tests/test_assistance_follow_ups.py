"""Follow-up actions: an explicit state machine, race-safe, one history row per step."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import selectors, services
from assistance.models import FollowUp, FollowUpStatus
from assistance.services import TransitionRefused

from .factories import FollowUpFactory, VisitFactory


@pytest.fixture
def follow_up(personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a], staff=[personas.staff])
    return FollowUpFactory(visit=visit, enterprise=personas.enterprise_a)


def test_it_lets_the_enterprise_confirm_and_staff_close(follow_up, personas):
    services.follow_up_confirm(follow_up=follow_up, actor=personas.enterprise_a_user)
    assert follow_up.status == FollowUpStatus.CONFIRMED
    assert follow_up.answered_at is not None
    services.follow_up_close(follow_up=follow_up, actor=personas.staff, note="现场核实已整改")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.CLOSED
    assert follow_up.closing_note == "现场核实已整改"
    rows = list(follow_up.history.order_by("history_date", "history_id"))
    assert [r.status for r in rows] == ["open", "confirmed", "closed"]
    assert [r.history_user for r in rows[1:]] == [personas.enterprise_a_user, personas.staff]
    assert rows[-1].history_change_reason == "现场核实已整改"


def test_it_lets_the_enterprise_answer_twice_then_staff_reopen(follow_up, personas):
    services.follow_up_answer(
        follow_up=follow_up, actor=personas.enterprise_a_user, answer="需延期"
    )
    services.follow_up_answer(
        follow_up=follow_up, actor=personas.enterprise_a_user, answer="需延期至月底"
    )
    assert follow_up.answer == "需延期至月底"
    services.follow_up_reopen(follow_up=follow_up, actor=personas.staff)
    assert follow_up.status == FollowUpStatus.OPEN


@pytest.mark.parametrize(
    ("start", "step"),
    [
        ("closed", "confirm"),
        ("closed", "answer"),
        ("closed", "close"),
        ("confirmed", "confirm"),
        ("confirmed", "answer"),
        ("answered", "confirm"),
        ("open", "reopen"),
    ],
)
def test_it_refuses_illegal_transitions(follow_up, personas, start, step):
    FollowUp.objects.filter(pk=follow_up.pk).update(status=start, closed_at=timezone.now())
    follow_up.refresh_from_db()
    calls = {
        "confirm": lambda: services.follow_up_confirm(follow_up=follow_up, actor=personas.staff),
        "answer": lambda: services.follow_up_answer(
            follow_up=follow_up, actor=personas.staff, answer="x"
        ),
        "close": lambda: services.follow_up_close(follow_up=follow_up, actor=personas.staff),
        "reopen": lambda: services.follow_up_reopen(follow_up=follow_up, actor=personas.staff),
    }
    before = follow_up.history.count()
    with pytest.raises(TransitionRefused) as refused:
        calls[step]()
    assert refused.value.code == "followup_transition"
    follow_up.refresh_from_db()
    assert follow_up.status == start
    assert follow_up.history.count() == before


def test_it_refuses_a_step_on_a_stale_copy(follow_up, personas):
    stale = FollowUp.objects.get(pk=follow_up.pk)
    services.follow_up_close(follow_up=follow_up, actor=personas.staff)
    with pytest.raises(TransitionRefused) as refused:
        services.follow_up_confirm(follow_up=stale, actor=personas.enterprise_a_user)
    assert refused.value.code == "followup_stale"
    assert FollowUp.objects.get(pk=follow_up.pk).status == FollowUpStatus.CLOSED


def test_it_refuses_an_empty_answer(client, follow_up, personas):
    client.force_login(personas.enterprise_a_user)
    url = reverse("assistance:follow_up_answer", args=[follow_up.pk])
    response = client.post(url, {"answer": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["answer"] == ["Write an answer."]
    response = client.post(url, {"answer": "已补传"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.answer) == ("answered", "已补传")


def test_it_explains_a_refused_step_on_the_page(client, follow_up, personas):
    services.follow_up_close(follow_up=follow_up, actor=personas.staff)
    client.force_login(personas.enterprise_a_user)
    url = reverse("assistance:follow_up_step", args=[follow_up.pk, "confirm"])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "cannot be confirmed" in response.content.decode()


@pytest.mark.date_sensitive
def test_it_marks_overdue_follow_ups(personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a])
    today = timezone.localdate()
    late = FollowUpFactory(visit=visit, due_on=today - timedelta(days=1))
    due_today = FollowUpFactory(visit=visit, due_on=today)
    closed_late = FollowUpFactory(
        visit=visit, due_on=today - timedelta(days=5), status="closed", closed_at=timezone.now()
    )
    answered_late = FollowUpFactory(
        visit=visit, due_on=today - timedelta(days=2), status="answered"
    )
    flags = dict(selectors.follow_up_list(personas.staff).values_list("pk", "is_overdue"))
    assert flags == {
        late.pk: True,
        due_today.pk: False,
        closed_late.pk: False,
        answered_late.pk: True,
    }


@pytest.mark.date_sensitive
def test_it_makes_overdue_follow_ups_stand_out(client, personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a])
    FollowUpFactory(visit=visit, due_on=timezone.localdate() - timedelta(days=3))
    client.force_login(personas.enterprise_a_user)
    for name, args in [
        ("assistance:visit_detail", [visit.pk]),
        ("assistance:visit_list", []),
        ("assistance:follow_up_list", []),
    ]:
        page = client.get(reverse(name, args=args)).content.decode()
        assert 'data-testid="overdue"' in page, name
        assert "text-bg-danger" in page
    page = client.get(reverse("assistance:follow_up_list") + "?overdue=on").content.decode()
    assert "1 record" in page or "1 条" in page or 'data-testid="overdue"' in page


def test_it_shows_an_enterprise_only_its_own_follow_ups_of_a_shared_visit(client, personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a, personas.enterprise_b])
    FollowUpFactory(visit=visit, enterprise=personas.enterprise_a, action="甲企业的整改")
    FollowUpFactory(visit=visit, enterprise=personas.enterprise_b, action="乙企业的整改")
    client.force_login(personas.enterprise_a_user)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "甲企业的整改" in page
    assert "乙企业的整改" not in page


@pytest.mark.parametrize(
    ("persona", "step", "message"),
    [
        ("enterprise_a_user", "confirm", 'Follow-up "补传化验报告" confirmed.'),
        ("staff", "close", 'Follow-up "补传化验报告" closed.'),
    ],
)
def test_it_names_the_follow_up_in_the_message_at_the_top_of_the_visit(
    client, follow_up, personas, persona, step, message
):
    FollowUp.objects.filter(pk=follow_up.pk).update(action="补传化验报告")
    client.force_login(getattr(personas, persona))
    url = reverse("assistance:follow_up_step", args=[follow_up.pk, step])
    response = client.post(url)
    # No #fragment: the page opens at the top, where the message is.
    assert response.status_code == 302
    assert response["Location"] == follow_up.visit.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert message.replace('"', "&quot;") in page


def test_it_names_a_reopened_follow_up_shortened(client, follow_up, personas):
    long_action = (
        "补传3月入炉煤低位发热量化验原始记录，并说明缺失原因，附化验室负责人签字的情况说明"
    )
    FollowUp.objects.filter(pk=follow_up.pk).update(action=long_action)
    services.follow_up_close(follow_up=FollowUp.objects.get(pk=follow_up.pk), actor=personas.staff)
    client.force_login(personas.staff)
    response = client.post(
        reverse("assistance:follow_up_step", args=[follow_up.pk, "reopen"]), follow=True
    )
    (message,) = [str(m) for m in response.context["messages"]]
    assert message.startswith('Follow-up "补传3月') and message.endswith('…" reopened.')
    assert len(message.split('"')[1]) == 40


def test_it_links_the_visited_enterprises_the_user_may_open(client, personas):
    visit = VisitFactory(enterprises=[personas.enterprise_a, personas.enterprise_b])
    FollowUpFactory(visit=visit, enterprise=personas.enterprise_a)
    url_a = personas.enterprise_a.get_absolute_url()
    url_b = personas.enterprise_b.get_absolute_url()

    client.force_login(personas.staff)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert f'href="{url_a}"' in page and f'href="{url_b}"' in page

    client.force_login(personas.enterprise_a_user)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert f'href="{url_a}"' in page
    assert f'href="{url_b}"' not in page
    assert personas.enterprise_b.name_zh in page  # named, not linked
