import pytest
from django.utils import timezone

from community_admin.staff.models import Secondment, SecondmentOpinion
from tests.factories import PASSWORD
from tests.staff.factories import PDF, make_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def step_form(page, action):
    return page.locator(f"form:has(input[name=action][value={action}])")


def test_a_street_clerk_takes_a_secondment_through_the_opinions_step(
    world, live_server, page, screenshot, tmp_path
):
    worker = make_worker(world.bureau, world.committee_a1, name="吴社工")
    scan = tmp_path / "用人单位意见.pdf"
    scan.write_bytes(PDF)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", world.street_user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")

    # The request, on the secondment list.
    page.goto(f"{live_server.url}/staff/secondments/")
    page.select_option("#id_worker", str(worker.pk))
    page.select_option("#id_host_street", str(world.street_a.pk))
    page.fill("#id_reason", "协助街道开展人口普查")
    page.fill("#id_planned_start", "2025-03-01")
    page.click("button[type=submit]:has-text('提交申请')")
    page.wait_for_selector("[data-testid=state]")
    secondment = Secondment.objects.get(worker=worker)
    assert page.inner_text("[data-testid=state]") == "已申请"
    # District government approval is the bureau's step: a street clerk is not offered it.
    assert step_form(page, "approve").count() == 0 and step_form(page, "file").count() == 0

    # Both units' written opinions: the committee's as text, the host's as a scanned PDF.
    opinion = step_form(page, "opinion")
    opinion.locator("select[name=side]").select_option("sending")
    opinion.locator("textarea[name=text]").fill("同意借调。")
    opinion.locator("button[type=submit]").click()
    page.wait_for_selector("text=已办理。")
    assert page.inner_text("[data-testid=state]") == "已申请"
    opinion = step_form(page, "opinion")
    opinion.locator("select[name=side]").select_option("receiving")
    opinion.locator("input[name=file]").set_input_files(str(scan))
    opinion.locator("button[type=submit]").click()
    page.wait_for_selector("text=下载扫描件")

    assert page.inner_text("[data-testid=state]") == "双方书面意见已附"
    steps = page.inner_text("ol.list-group")
    # The request's date is the local (Asia/Shanghai) date, not the UTC one.
    assert f"✔ 提出借调申请 {timezone.localdate():%Y-%m-%d}" in steps
    assert "✔ 派出单位书面意见" in steps and "✔ 用人单位书面意见" in steps and "○ 区政府批准" in steps
    secondment.refresh_from_db()
    assert secondment.state == Secondment.State.OPINIONS_ATTACHED
    received = SecondmentOpinion.objects.get(secondment=secondment, side="receiving")
    assert received.content_type == "application/pdf" and received.recorded_by == world.street_user
    with page.expect_download() as download_info:
        page.click("text=下载扫描件")
    with open(download_info.value.path(), "rb") as f:
        assert f.read() == PDF
    screenshot("secondment-opinions-attached")
