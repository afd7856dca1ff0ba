from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from community_admin.accounts.models import ApiToken, Role
from community_admin.admission.models import ServiceItem, Task, TaskAssignment
from community_admin.core.models import AuditLog
from tests.factories import GRANT_TOKEN_NAME


def test_the_list_page_shows_the_lists_and_filters(world, items, login):
    page = login(world.committee_user).get(reverse("tasks:item-list"), {"category": "excluded"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "经济普查" in body and "最低生活保障的办理与审核" not in body
    assert "不应由社区承担的事项 1" in body


def test_a_department_applies_from_the_page(world, login):
    effective = timezone.localdate() + timedelta(days=60)
    response = login(world.department_user).post(
        reverse("tasks:item-apply"),
        {
            "department": world.police.pk,
            "name": "反诈宣传进社区",
            "area": "public_security",
            "category": "assist",
            "legal_basis": "《反电信网络诈骗法》",
            "source_document": "派出所申请",
            "effective_from": effective.isoformat(),
            "unit": "次",
            "unit_rate": "200",
        },
    )
    item = ServiceItem.objects.get()
    assert response.status_code == 302 and item.status == ServiceItem.Status.APPLIED
    assert item.department == world.police


def test_an_application_too_close_to_its_date_shows_the_field_error(world, login):
    response = login(world.department_user).post(
        reverse("tasks:item-apply"),
        {
            "department": world.police.pk,
            "name": "x",
            "area": "public_security",
            "category": "assist",
            "legal_basis": "y",
            "source_document": "z",
            "effective_from": timezone.localdate().isoformat(),
            "unit": "次",
            "unit_rate": "1",
        },
    )
    assert response.status_code == 400 and "生效日期" in response.content.decode()
    assert not ServiceItem.objects.exists()


def test_bureau_reviews_and_history_is_shown(world, items, login):
    client = login(world.bureau)
    client.post(
        reverse("tasks:item-transition", args=[items.applied.pk]), {"action": "approve", "note": "同意"}
    )
    client.post(reverse("tasks:item-transition", args=[items.applied.pk]), {"action": "admit"})
    items.applied.refresh_from_db()
    assert items.applied.status == ServiceItem.Status.ADMITTED
    page = client.get(reverse("tasks:item-detail", args=[items.applied.pk])).content.decode()
    assert "service_item.approve" in page and "service_item.admit" in page


def test_bureau_edits_an_entry(world, items, login):
    item = items.assist
    data = {
        f: getattr(item, f) for f in ("name", "area", "category", "legal_basis", "source_document", "unit")
    }
    data.update(
        department=item.department_id, effective_from=item.effective_from.isoformat(), unit_rate="35.50"
    )
    response = login(world.bureau).post(reverse("tasks:item-edit", args=[item.pk]), data)
    assert response.status_code == 302
    assert AuditLog.objects.get(action="service_item.update").details == {"unit_rate": ["30.00", "35.50"]}


def test_committee_inbox_shows_its_own_tasks_with_overdue(world, items, submit, login):
    late = submit(title="逾期的任务")
    Task.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    submit(title="只给甲二的任务", committee_codes=["A2"])
    client = login(world.committee_user)
    body = client.get(reverse("tasks:inbox")).content.decode()
    assert "逾期的任务" in body and "已逾期" in body and "只给甲二的任务" not in body
    overdue = client.get(reverse("tasks:inbox"), {"status": "overdue"}).content.decode()
    assert overdue.count('data-testid="inbox-row"') == 1


def test_committee_starts_and_reports_completion(world, items, submit, login):
    assignment = submit().assignments.get(committee=world.committee_a1)
    client = login(world.committee_user)
    client.post(reverse("tasks:assignment-start", args=[assignment.pk]))
    client.post(reverse("tasks:assignment-complete", args=[assignment.pk]), {"report": "已入户复核 10 户"})
    assignment.refresh_from_db()
    assert assignment.status == TaskAssignment.Status.DONE and assignment.report == "已入户复核 10 户"
    page = client.get(reverse("tasks:assignment-detail", args=[assignment.pk])).content.decode()
    assert "已完成" in page and "300.00 元" in page


def test_street_refuses_on_the_committees_behalf_and_committee_cannot(world, items, submit, login):
    assignment = submit().assignments.get(committee=world.committee_a1)
    url = reverse("tasks:assignment-refuse", args=[assignment.pk])
    assert login(world.committee_user).post(url, {"reason": "不想做"}).status_code == 403
    response = login(world.street_user).post(url, {"reason": "属部门职责"})
    assignment.refresh_from_db()
    assert response.status_code == 302 and assignment.status == TaskAssignment.Status.REFUSED
    assert assignment.task.funding_lines.get(committee=world.committee_a1).withdrawn_at is not None


def test_workload_page_for_the_bureau_and_a_street(world, items, submit, login):
    submit()
    submit(service_item_code="QT01")
    bureau = login(world.bureau).get(reverse("tasks:workload")).content.decode()
    assert "收到 4" in bureau and "准入 2" in bureau and "拒绝 2" in bureau and "派发到的事项 2 项" in bureau
    assert "事项属于不应由社区承担的事项" in bureau and world.police.name in bureau
    street = login(world.street_user).get(reverse("tasks:workload")).content.decode()
    assert street.count('data-testid="committee-row"') == 2 and "乙一社区居委会" not in street


def test_token_rotation_shows_the_new_key_once(world, task_token, login):
    token, _ = task_token
    response = login(world.bureau).post(reverse("accounts:token-rotate", args=[token.pk]))
    new = ApiToken.objects.exclude(pk=token.pk).exclude(name=GRANT_TOKEN_NAME).get()
    assert response.status_code == 200 and f"ca_{new.prefix}_" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_a_committees_assignment_page_shows_only_its_own_line(world, shared_task, login):
    task, _ = shared_task
    own = TaskAssignment.objects.get(task=task, committee=world.committee_a1)
    page = login(world.committee_user).get(reverse("tasks:assignment-detail", args=[own.pk]))
    text = page.content.decode()
    assert "A1 的完成报告" in text and "300.00 元" in text
    assert "A2 的完成报告" not in text and "B1 的完成报告" not in text
    other = TaskAssignment.objects.get(task=task, committee=world.committee_a2)
    assert (
        login(world.committee_user).get(reverse("tasks:assignment-detail", args=[other.pk])).status_code
        == 404
    )


def test_the_history_and_a_report_name_the_person(world, items, login, shared_task):
    world.bureau.first_name = "陈静"
    world.bureau.save(update_fields=["first_name"])
    client = login(world.bureau)
    client.post(
        reverse("tasks:item-transition", args=[items.applied.pk]), {"action": "approve", "note": "同意"}
    )
    page = client.get(reverse("tasks:item-detail", args=[items.applied.pk])).content.decode()
    assert "陈静" in page and "区民政局" in page
    task, _ = shared_task
    assignment = task.assignments.first()
    page = client.get(reverse("tasks:assignment-detail", args=[assignment.pk])).content.decode()
    assert "报告人 陈静" in page


def test_bureau_names_co_owners_who_may_then_push_the_item(world, items, login, submit):
    from tests.factories import DepartmentFactory, UserFactory

    civil = DepartmentFactory(code="MZJ", name="区民政局社会救助科")
    civil.streets.set([world.street_a])
    item = items.assist
    data = {
        f: getattr(item, f) for f in ("name", "area", "category", "legal_basis", "source_document", "unit")
    }
    data.update(
        department=item.department_id, effective_from=item.effective_from.isoformat(), unit_rate="30.00"
    )
    client = login(world.bureau)
    refused = client.post(
        reverse("tasks:item-edit", args=[item.pk]), {**data, "co_departments": [world.police.pk]}
    )
    assert refused.status_code == 400 and "协办部门：主管部门不必再列为协办部门" in refused.content.decode()
    assert not item.co_departments.exists()
    response = client.post(reverse("tasks:item-edit", args=[item.pk]), {**data, "co_departments": [civil.pk]})
    assert response.status_code == 302
    assert AuditLog.objects.get(action="service_item.update").details == {"co_departments": [[], ["MZJ"]]}
    assert "区民政局社会救助科" in client.get(reverse("tasks:item-detail", args=[item.pk])).content.decode()
    clerk = UserFactory(username="t-mzj", role=Role.DEPARTMENT, department=civil)
    assert submit(actor=clerk).decision == Task.Decision.ADMITTED
