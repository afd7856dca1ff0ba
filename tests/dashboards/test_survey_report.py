"""The annual survey report: figures from the live data, the two files, the command, the bureau's job."""

import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from community_admin.core.models import AuditLog
from community_admin.dashboards.jobs import SURVEY_REPORT
from community_admin.dashboards.reports import documents
from community_admin.dashboards.reports.figures import survey_figures
from community_admin.jobs.models import Job
from community_admin.staff import services as staff_services
from community_admin.staff.models import Departure, Post
from tests.factories import CommitteeFactory, PersonFactory, ServiceCentreFactory
from tests.staff.factories import make_worker

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def job_results(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "job_results": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "job-results"},
        },
    }


def pdf_text(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def flat(text: str) -> str:
    return "".join(text.split())


def cell(workbook, sheet: str, label: str):
    """The value beside `label` in a section sheet's indicator rows."""
    for row in workbook[sheet].iter_rows(values_only=True):
        if row and row[0] == label:
            return row[1]
    raise AssertionError(f"{label} not in {sheet}")


def test_the_pdf_and_the_workbook_follow_the_data(world, tmp_path):
    PersonFactory.create_batch(3, household__committee=world.committee_a1)
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    documents.SurveyReportPdf(year=YEAR, user=world.bureau).write(pdf)
    text = flat(pdf_text(pdf))
    assert "全区共有2个街道，成立了3个社区居委会" in text
    documents.SurveyReportXlsx(year=YEAR, user=world.bureau).write(xlsx)
    before = load_workbook(xlsx)
    assert cell(before, "一、基本状况", "社区居委会") == 3

    CommitteeFactory(street=world.street_b, kind="unit")
    worker = make_worker(world.bureau, world.committee_a1, posts=(Post.SOCIAL_WORKER,))
    staff_services.worker_resign(
        actor=world.bureau, worker=worker, left_on=timezone.localdate(), reason=Departure.Reason.PAY
    )
    documents.SurveyReportPdf(year=YEAR, user=world.bureau).write(pdf)
    text = flat(pdf_text(pdf))
    assert "全区共有2个街道，成立了4个社区居委会" in text
    assert f"{YEAR}年1人（{YEAR}年另有退休0人）" in text
    documents.SurveyReportXlsx(year=YEAR, user=world.bureau).write(xlsx)
    after = load_workbook(xlsx)
    assert cell(after, "一、基本状况", "社区居委会") == 4
    assert (
        cell(after, "一、基本状况", "单位型社区居委会（家委会）")
        == cell(before, "一、基本状况", "单位型社区居委会（家委会）") + 1
    )
    assert cell(after, "二（四）人员", f"{YEAR}年辞职") == 1
    streets = list(after["各街道"].iter_rows(values_only=True))
    assert streets[0][:2] == ("街道", "社区数") and streets[-1][0] == "合计" and streets[-1][1] == 4


def test_the_command_writes_a_pdf_and_a_workbook(world, tmp_path):
    PersonFactory.create_batch(2, household__committee=world.committee_b1, status="floating")
    out = tmp_path / "report.pdf"
    stdout = StringIO()
    call_command("survey_report", year=str(YEAR), out=out, stdout=stdout, stderr=StringIO())
    assert out.read_bytes().startswith(b"%PDF-")
    text = flat(pdf_text(out))
    floating = survey_figures(year=YEAR, user=world.bureau)["base"]["floating_population"]
    assert f"{YEAR}年社区工作调研报告" in text and f"流动人口{floating}，" in text
    assert "二、存在问题" in text and "附表各街道" in text
    book = tmp_path / "report.xlsx"
    call_command(
        "survey_report", "--year", str(YEAR), "--out", str(book), stdout=StringIO(), stderr=StringIO()
    )
    workbook = load_workbook(book)
    assert workbook.sheetnames[0] == "一、基本状况" and workbook.sheetnames[-1] == "各街道"
    assert cell(workbook, "一、基本状况", "流动人口") == floating
    assert isinstance(cell(workbook, "二（三）经费", "典型年支出（300平方米社区）"), int | float)
    # The command reads only: the audited path is the bureau's download.
    assert not AuditLog.objects.filter(action__startswith="job").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "1899"], "年度"),
        (["--year", "二〇二五"], "年度"),
        (["--year", str(YEAR + 5)], "年度"),
        (["--year", str(YEAR), "--out", "/nonexistent-folder/r.pdf"], "无法写入"),
        (["--year", str(YEAR), "--out", "report.docx"], "输出文件"),
    ],
)
def test_the_command_refuses_a_bad_year_or_path(world, tmp_path, args, message):
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "r.pdf")]
    with pytest.raises(CommandError, match=message):
        call_command("survey_report", *args, stdout=StringIO(), stderr=StringIO())
    assert not (tmp_path / "r.pdf").exists()


def test_the_bureau_gets_the_report_as_a_background_job(world, login, django_capture_on_commit_callbacks):
    client = login(world.bureau)
    page = client.get(reverse("dashboards:district")).content.decode()
    start = reverse("jobs:start", args=[SURVEY_REPORT])
    assert f'hx-post="{start}"' in page and f'<option value="{YEAR}">' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start, {"year": str(YEAR), "format": "pdf"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    job = Job.objects.get(kind=SURVEY_REPORT)
    assert job.state == Job.State.DONE and job.params == {"year": YEAR, "format": "pdf"}
    assert (
        'data-testid="job-download"' in client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    )
    download = client.get(reverse("jobs:download", args=[job.pk]))
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF-") and download["Content-Type"] == "application/pdf"
    assert f"{YEAR}" in download["Content-Disposition"]
    actions = set(AuditLog.objects.filter(object_id=str(job.pk)).values_list("action", flat=True))
    assert {"job.start", "job.done"} <= actions


def test_only_the_bureau_starts_the_report_and_a_bad_year_is_named(world, login):
    start = reverse("jobs:start", args=[SURVEY_REPORT])
    for user in (world.street_user, world.committee_user, world.department_user):
        client = login(user)
        assert client.post(start, {"year": str(YEAR)}).status_code == 403
        assert (
            'data-testid="survey-report"'
            not in client.get(
                reverse("dashboards:street-dashboard", args=[world.street_a.pk])
            ).content.decode()
        )
    assert (
        AuditLog.objects.filter(
            action="access.denied", details__permission="dashboards.survey_report"
        ).count()
        == 3
    )
    response = login(world.bureau).post(start, {"year": "1800", "format": "pdf"}, HTTP_HX_REQUEST="true")
    assert "年度" in response.content.decode() and "1800" in response.content.decode()
    response = login(world.bureau).post(start, {"year": str(YEAR), "format": "doc"}, HTTP_HX_REQUEST="true")
    assert "格式" in response.content.decode()
    assert not Job.objects.filter(kind=SURVEY_REPORT).exists()


def test_the_report_figures_take_the_same_queries_for_3_and_10_committees(world):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            survey_figures(year=YEAR, user=world.bureau)
        return len(queries)

    survey_figures(year=YEAR, user=world.bureau)
    few = count()
    for _ in range(7):
        committee = CommitteeFactory(street=world.street_b)
        PersonFactory(household__committee=committee)
        ServiceCentreFactory(committee=committee)
        make_worker(world.bureau, committee)
    assert count() == few


def test_the_report_says_when_its_year_uses_an_earlier_pay_policy(world):
    from community_admin.dashboards.reports import narrative
    from tests.staff.factories import make_policy

    make_policy(YEAR - 1)
    figures = survey_figures(year=YEAR, user=world.bureau)
    assert figures["staff"]["pay"]["year"] == YEAR - 1
    text = "".join(narrative.staff(figures).paragraphs)
    assert f"{YEAR}年度薪酬政策尚未采用，按{YEAR - 1}年度政策计算" in text
    make_policy(YEAR)
    text = "".join(narrative.staff(survey_figures(year=YEAR, user=world.bureau)).paragraphs)
    assert "尚未采用" not in text and f"{YEAR}年社区工作人员工资标准" in text
