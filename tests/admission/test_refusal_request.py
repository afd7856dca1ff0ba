"""A committee asks its street to refuse a task (issue 17, item 5): the street grants (the task refused on the
committee's behalf, its money withdrawn) or declines with a note; each step timed, named and audited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community_admin.admission import services
from community_admin.admission.models import TaskAssignment, TaskFundingLine
from community_admin.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(world, items, submit):
    return submit().assignments.get(committee=world.committee_a1)


def _line(assignment) -> TaskFundingLine:
    return TaskFundingLine.objects.get(task=assignment.task, committee=assignment.committee)


def test_the_committee_asks_and_the_street_grants(world, assignment, login):
    committee, street = login(world.committee_user), login(world.street_user)
    url = reverse("tasks:assignment-detail", args=[assignment.pk])
    assert 'data-testid="request-refusal"' in committee.get(url).content.decode()
    committee.post(
        reverse("tasks:assignment-request-refusal", args=[assignment.pk]), {"reason": "属于城管执法"}
    )
    assignment.refresh_from_db()
    assert assignment.refusal_request_pending and assignment.refusal_requested_by == world.committee_user
    assert (
        assignment.status == TaskAssignment.Status.ACCEPTED
    )  # still the committee's until the street decides
    page = street.get(url).content.decode()
    assert "属于城管执法" in page and 'data-testid="grant-refusal"' in page
    response = street.post(
        reverse("tasks:assignment-decide-refusal", args=[assignment.pk]), {"decision": "granted"}, follow=True
    )
    assert "代为拒绝" in str(list(response.context["messages"])[0])
    assignment.refresh_from_db()
    assert assignment.status == TaskAssignment.Status.REFUSED and assignment.refusal_reason == "属于城管执法"
    assert assignment.refusal_request_decision == "granted" and assignment.refusal_request_decided_at
    assert _line(assignment).withdrawn_at is not None  # the money follows the decision
    actions = set(AuditLog.objects.filter(object_id=str(assignment.pk)).values_list("action", flat=True))
    assert {
        "task_assignment.refusal_request",
        "task_assignment.refuse",
        "task_assignment.refusal_decide",
    } <= actions
    assert "同意，已代为拒绝" in committee.get(url).content.decode()


def test_the_street_declines_with_a_note_and_the_committee_works_on(world, assignment):
    services.task_assignment_request_refusal(actor=world.committee_user, assignment=assignment, reason="太多")
    with pytest.raises(ValidationError) as refused:
        services.task_assignment_decide_refusal(
            actor=world.street_user, assignment=assignment, decision="declined"
        )
    assert "note" in refused.value.message_dict
    done = services.task_assignment_decide_refusal(
        actor=world.street_user, assignment=assignment, decision="declined", note="属于准入事项，经费已到"
    )
    assert done.status == TaskAssignment.Status.ACCEPTED and done.refusal_request_decision == "declined"
    assert _line(done).withdrawn_at is None
    again = services.task_assignment_request_refusal(
        actor=world.committee_user, assignment=done, reason="再议"
    )
    assert again.refusal_request_pending and again.refusal_request_note == ""


def test_no_way_round_the_street(world, assignment, login, items, submit):
    # a second request while one waits
    services.task_assignment_request_refusal(actor=world.committee_user, assignment=assignment, reason="太多")
    with pytest.raises(ValidationError, match="正等待街道决定"):
        services.task_assignment_request_refusal(
            actor=world.committee_user, assignment=assignment, reason="再来"
        )
    # the committee cannot decide its own request
    response = login(world.committee_user).post(
        reverse("tasks:assignment-decide-refusal", args=[assignment.pk]), {"decision": "granted"}
    )
    assert response.status_code == 403
    # another committee's clerk cannot ask for it, even past the page
    other = submit().assignments.get(committee=world.committee_a2)
    with pytest.raises(ValidationError, match="只有承接该任务的社区"):
        services.task_assignment_request_refusal(actor=world.committee_user, assignment=other, reason="x")
    # a decision nobody asked for, a made-up decision
    with pytest.raises(ValidationError, match="没有待决定的拒绝申请"):
        services.task_assignment_decide_refusal(actor=world.street_user, assignment=other, decision="granted")
    with pytest.raises(ValidationError, match="只能是同意"):
        services.task_assignment_decide_refusal(
            actor=world.street_user, assignment=assignment, decision="maybe"
        )
    # an empty reason: refused on the page with the field named, nothing written
    fresh = submit().assignments.get(committee=world.committee_a1)
    response = login(world.committee_user).post(
        reverse("tasks:assignment-request-refusal", args=[fresh.pk]), {"reason": ""}, follow=True
    )
    assert "申请拒绝的理由：" in str(list(response.context["messages"])[0])
    fresh.refresh_from_db()
    assert fresh.refusal_requested_at is None


def test_a_request_on_a_closed_task_is_refused(world, assignment):
    services.task_assignment_complete(actor=world.committee_user, assignment=assignment, report="已完成")
    assignment.refresh_from_db()
    with pytest.raises(ValidationError, match="不能申请街道拒绝"):
        services.task_assignment_request_refusal(
            actor=world.committee_user, assignment=assignment, reason="x"
        )


def test_the_streets_inbox_lists_the_requests_waiting_for_it(world, assignment, login):
    from community_admin.admission import selectors

    assert not selectors.inbox(world.street_user, status="refusal_requested").exists()
    services.task_assignment_request_refusal(actor=world.committee_user, assignment=assignment, reason="太多")
    assert list(selectors.inbox(world.street_user, status="refusal_requested")) == [assignment]
    page = login(world.street_user).get(reverse("tasks:inbox"), {"status": "refusal_requested"})
    assert (
        page.status_code == 200
        and reverse("tasks:assignment-detail", args=[assignment.pk]) in page.content.decode()
    )
