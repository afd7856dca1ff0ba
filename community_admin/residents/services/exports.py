"""The export of a list of persons, audited."""

from community_admin.core import audit
from community_admin.core.exporters import QUIET, ExportFile
from community_admin.residents import exporters


def persons_export(*, actor, persons, sensitive: bool, target=None, progress=QUIET) -> ExportFile:
    """An xlsx of `persons` (already scoped and filtered), ID numbers masked, written to `target` (None: a
    temporary file); the export itself is audited."""
    persons = persons.select_related("household", "committee")
    exporter = exporters.PersonExporter(persons, sensitive=sensitive)
    audit.record(
        actor=actor,
        action="persons.export",
        details={"rows": exporter.count(), "sensitive_columns": sensitive},
    )
    return exporter.render(target, progress=progress)
