"""The export of a list of persons, audited."""

from community_admin.core import audit
from community_admin.residents import exporters


def persons_export(*, actor, persons, sensitive: bool, target=None, progress=None):
    """An xlsx of `persons` (already scoped and filtered), ID numbers masked; the export itself is audited.
    With `target` the file is written there and the exporter returned; without, a temporary file is returned."""
    persons = persons.select_related("household", "committee")
    exporter = exporters.PersonExporter(persons, sensitive=sensitive)
    audit.record(
        actor=actor,
        action="persons.export",
        details={"rows": exporter.count(), "sensitive_columns": sensitive},
    )
    written = exporter.write(target, progress=progress)
    return exporter if target is not None else written
