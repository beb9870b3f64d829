"""publish: the files the OCI publishes and signs, written beside the workbook.

``seguimiento_oci_<programa>_AAAA-MM-DD.pdf`` for the transparency page (the Comité summary on
page 1, then each entity's Seguimiento OCI form) and ``informe_seguimiento_<programa>_…docx``,
the editable report. Both come from the same content (``content.entity_reports``). With more
than ``FORMS_MAX`` entities both are the consolidated report instead (``publish.consolidated``), unless
every form is asked for.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from pac_excel.publish.content import (
    FORMS_MAX,
    PAAC,
    EntityReport,
    Program,
    Signer,
    entity_count,
    entity_reports,
    is_consolidated,
    publication_file_stem,
    report_file_stem,
)
from pac_excel.result import Consolidation

__all__ = [
    "FORMS_MAX",
    "EntityReport",
    "Program",
    "Signer",
    "commit",
    "consolidated_note",
    "discard",
    "is_consolidated",
    "publication_paths",
    "publish",
    "stage",
]


def publication_paths(
    output_dir: Path, cutoff: dt.date, program: Program = PAAC
) -> tuple[Path, Path]:
    """Where the PDF and the report of a cut go."""
    return (
        output_dir / f"{publication_file_stem(cutoff, program)}.pdf",
        output_dir / f"{report_file_stem(cutoff, program)}.docx",
    )


def consolidated_note(
    result: Consolidation, all_forms: bool = False, published: bool = True
) -> str:
    """The terminal's line when the run is the consolidated report, else "".

    ``published`` is False under --sin-publicacion: then only the workbook's part is said.
    """
    if not is_consolidated(result, all_forms):
        return ""
    head = f"Con {entity_count(result)} entidades (más de {FORMS_MAX}), "
    sheets = (
        "el libro no lleva las hojas «Seguimiento OCI» (el formato de cada entidad) ni «Por "
        "responsable» (la de cada entidad con sus áreas)"
    )
    if not published:
        return head + sheets + ". Para tenerlas: pac-excel consolidar --todos-los-formularios"
    return (
        head + "el PDF y el .docx son el informe consolidado y " + sheets + ". Para tener el "
        "formato de cada entidad en el PDF y esas hojas: pac-excel consolidar "
        "--todos-los-formularios"
    )


Staged = tuple[Path, Path]  # (temporary name beside it, the file's own name)


def _staged(path: Path, write: Callable[[Path], object], staged: list[Staged]) -> None:
    """Write ``path``'s content under a temporary name beside it, added to ``staged``; on a
    failure that name and every one staged before it are removed."""
    temp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        write(temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        discard(staged)
        raise
    staged.append((temp, path))


def commit(staged: Sequence[Staged]) -> list[Path]:
    """Give each staged file its own name (``os.replace``: never a half-written file); what
    cannot be replaced is removed with the rest of the temporary names, and the error raised."""
    try:
        for temp, path in staged:
            os.replace(temp, path)
    finally:
        discard(staged)
    return [path for _, path in staged]


def discard(staged: Sequence[Staged]) -> None:
    """Remove the temporary names still there (a workbook that failed leaves no new PDF)."""
    for temp, _ in staged:
        temp.unlink(missing_ok=True)


def publish(
    result: Consolidation,
    output_dir: Path,
    *,
    signers: Sequence[Signer] | None = None,
    program: Program | None = None,
    publication: dt.date | None = None,
    all_forms: bool = False,
) -> list[Path]:
    """Write the PDF and the .docx for ``result`` into ``output_dir``; [] with no activities.

    More than ``FORMS_MAX`` entities make them the consolidated report (``all_forms``: every
    entity's form all the same, as with at most ``FORMS_MAX``).
    """
    staged = stage(
        result,
        output_dir,
        signers=signers,
        program=program,
        publication=publication,
        all_forms=all_forms,
    )
    return commit(staged)


def stage(
    result: Consolidation,
    output_dir: Path,
    *,
    signers: Sequence[Signer] | None = None,
    program: Program | None = None,
    publication: dt.date | None = None,
    all_forms: bool = False,
) -> list[Staged]:
    """``publish``'s files written under temporary names; ``commit`` names them.

    The run writes them while its workbook is being written (``pipeline``) and names them
    only once the workbook is written: a failed workbook leaves the earlier PDF as it was.
    """
    program = program or Program(name=result.program_name, short=result.program)
    if result.activities.empty:
        return []
    # [firmas] passed in, else each report's own (the config's, the input's or blank lines).
    names = list(signers) if signers else None
    pdf_path, docx_path = publication_paths(output_dir, result.cutoff, program)
    created = result.run_at
    staged: list[Staged] = []
    if is_consolidated(result, all_forms):
        from pac_excel.publish.consolidated import consolidated_report
        from pac_excel.publish.pdf_consolidated import write_consolidated_pdf
        from pac_excel.publish.report import write_consolidated_report

        total = consolidated_report(result, program, publication)
        _staged(
            pdf_path, lambda p: write_consolidated_pdf(total, p, names, created=created), staged
        )
        _staged(
            docx_path,
            lambda p: write_consolidated_report(
                total, p, names, result.thresholds, created=created
            ),
            staged,
        )
        return staged
    from pac_excel.publish.pdf import write_pdf
    from pac_excel.publish.report import write_report

    reports = entity_reports(result, program, publication)
    _staged(pdf_path, lambda p: write_pdf(reports, p, names, created=created), staged)
    _staged(
        docx_path,
        lambda p: write_report(reports, p, names, result.thresholds, created=created),
        staged,
    )
    return staged
