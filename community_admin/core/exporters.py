"""The one exporter interface (after pretix's BaseExporter): a small class per export that says what it is
(`identifier`, `label`, `permission`) and writes itself (`write(path, progress=...)`); `render` runs it into
a file and answers one result type, `ExportFile`. A service builds the exporter from scoped data, renders it
and audits the export; a page or API view sends a small export at once (`export_response`); a large one runs
as a job kind declared from the same class (`jobs.registry.export_kind`). Views never build workbooks."""

import tempfile
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import IO, ClassVar

from django.http import HttpResponse

from community_admin.core import uploads
from community_admin.core.files import attachment_response
from community_admin.core.progress import ProgressFactory
from community_admin.core.xlsx import XLSX

PDF = uploads.PDF.content_type


class _Quiet:
    """A progress bar that shows nothing (an export made inside a request)."""

    def __init__(self, label, total):
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


QUIET: ProgressFactory = _Quiet


@dataclass(frozen=True)
class ExportFile:
    """A rendered export: the file at `path`, the name and type it is sent under, how many rows it holds.
    `temporary`: made for one response, removed once it is opened for sending."""

    path: Path
    filename: str
    content_type: str
    rows: int = 0
    temporary: bool = False

    def open(self) -> IO[bytes]:
        handle = self.path.open("rb")
        if self.temporary:
            self.path.unlink(missing_ok=True)  # the open handle keeps the data until the response is sent
        return handle

    def read_bytes(self) -> bytes:
        with self.open() as handle:
            return handle.read()


class Exporter(ABC):
    identifier: ClassVar[str]  # "<app label>.<what>"; also the job kind's name when it runs in the background
    label: ClassVar[str]  # what a person reads (the job list, the menu)
    permission: ClassVar[str]  # accounts.permissions: who may make it (and read its jobs)
    content_type: ClassVar[str] = XLSX
    extension: ClassVar[str] = "xlsx"

    @property
    @abstractmethod
    def filename(self) -> str:
        """The name the file is sent under (Chinese is fine: core.files sends it with an ASCII fallback)."""

    @abstractmethod
    def write(self, path: Path, *, progress: ProgressFactory = QUIET) -> int:
        """Write the file at `path`; return the number of rows written."""

    def render(self, path: Path | None = None, *, progress: ProgressFactory = QUIET) -> ExportFile:
        """The export written to `path` (a job's working folder) or to a named temporary file."""
        temporary = path is None
        if temporary:
            with tempfile.NamedTemporaryFile(suffix=f".{self.extension}", delete=False) as out:
                path = Path(out.name)
        try:
            rows = self.write(Path(path), progress=progress)
        except BaseException:
            if temporary:
                Path(path).unlink(missing_ok=True)
            raise
        return ExportFile(
            path=Path(path),
            filename=self.filename,
            content_type=self.content_type,
            rows=rows,
            temporary=temporary,
        )


def export_response(export: ExportFile) -> HttpResponse:
    """A small export sent at once (its service has audited it)."""
    return attachment_response(export.open(), filename=export.filename, content_type=export.content_type)
