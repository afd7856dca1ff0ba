"""core.exporters: one interface for every export (identifier, label, permission, filename, write), one
result type (ExportFile), one way to send it; the export job kinds are declared from the exporter classes."""

from pathlib import Path

import pytest

from community_admin.core.exporters import QUIET, Exporter, ExportFile, export_response
from community_admin.core.xlsx import XLSX
from community_admin.dashboards.exporters import CommitteeExporter
from community_admin.funding.exporters import ComparisonExporter
from community_admin.jobs import registry
from community_admin.ledgers.exporters import BookExporter
from community_admin.residents.exporters import PersonExporter
from community_admin.staff.exporters import PayrollExporter

EXPORTERS = [PersonExporter, BookExporter, PayrollExporter, ComparisonExporter, CommitteeExporter]


class Hello(Exporter):
    identifier = "core.hello"
    label = "你好"
    permission = "org.view"
    filename = "你好.txt"
    content_type = "text/plain"
    extension = "txt"

    def write(self, path: Path, *, progress=QUIET) -> int:
        path.write_text("你好", encoding="utf-8")
        return 1


def test_render_writes_a_temporary_file_that_goes_once_it_is_sent():
    export = Hello().render()
    assert isinstance(export, ExportFile) and export.temporary and export.path.suffix == ".txt"
    assert (export.filename, export.content_type, export.rows) == ("你好.txt", "text/plain", 1)
    response = export_response(export)
    assert not export.path.exists()  # the response holds the open file
    assert response.getvalue() == "你好".encode()
    assert (
        response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private, no-store"
    )
    assert "filename*=UTF-8''%E4%BD%A0%E5%A5%BD.txt" in response["Content-Disposition"]


def test_render_into_a_given_path_keeps_it(tmp_path):
    export = Hello().render(tmp_path / "out.txt")
    assert not export.temporary and export.read_bytes() == "你好".encode() and export.path.exists()


def test_a_failed_render_leaves_no_temporary_file(monkeypatch, tmp_path):
    made = []

    class Broken(Hello):
        def write(self, path, *, progress=QUIET):
            made.append(path)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        Broken().render()
    assert made and not made[0].exists()


@pytest.mark.parametrize("exporter", EXPORTERS, ids=lambda e: e.__name__)
def test_every_exporter_declares_what_it_is(exporter):
    assert issubclass(exporter, Exporter)
    assert exporter.identifier.count(".") == 1 and exporter.label
    assert exporter.permission.count(".") >= 1  # an accounts permission name
    assert exporter.content_type == XLSX


@pytest.mark.parametrize(
    "exporter", [PersonExporter, BookExporter, CommitteeExporter], ids=lambda e: e.__name__
)
def test_a_large_export_is_the_job_kind_of_its_exporter(exporter):
    kind = registry.find(exporter.identifier)
    assert kind is not None
    assert (kind.label, kind.permission) == (exporter.label, exporter.permission)


@pytest.mark.parametrize(
    ("route", "exporter"),
    [
        ("residents:person-export", PersonExporter),
        ("ledgers:book-export", BookExporter),
        ("staff:payroll-export", PayrollExporter),
        ("funding:compare-export", ComparisonExporter),
    ],
)
def test_a_small_export_is_offered_inline_under_its_exporters_permission(route, exporter):
    from django.urls import get_resolver

    views = dict(_named_patterns(get_resolver()))
    assert views[route].callback.view_class.required_permission == exporter.permission


def _named_patterns(resolver, prefix=""):
    from django.urls import URLPattern

    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLPattern):
            if pattern.name:
                yield f"{prefix}{pattern.name}", pattern
        else:
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _named_patterns(pattern, namespace)
