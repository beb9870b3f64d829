"""Test helpers for the report: build a small Consolidation by hand, read the workbook back.

Reading goes through openpyxl (what a user sees: values, number formats, tables, panes) and,
where openpyxl hides it, through the xlsx zip itself (formulas, links, charts, drawings).
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

from pac_excel.check.labels import ALERT_SEPARATOR, ALERTS, alert_column
from pac_excel.check.rules import delivery_states
from pac_excel.frames import (
    ALERT_DTYPES,
    ALERT_FLAG_DTYPES,
    CHECKED_ACTIVITY_DTYPES,
    DELIVERY_DTYPES,
    empty,
)
from pac_excel.problems import Problem
from pac_excel.result import Consolidation

NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
}
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

# Building ---------------------------------------------------------------------------------

ACTIVITY_DEFAULTS: dict[str, Any] = {
    "file": "seguimiento.xlsx",
    "sheet": "PAAC",
    "entity": "Alcaldía de Prueba",
    "year": 2020,
    "component": 1,
    "component_label": "1. Gestión del Riesgo de Corrupción – Mapa de Riesgos de Corrupción",
    "subcomponent": "Política de Administración de Riesgos",
    "activity": "Actividad",
    "goal": "Meta",
    "owner": "Planeación",
    "schedule": "31/03/2020",
    "permanent": False,
    "n_dates": 1,
    "progress": None,
    "progress_text": None,
    "not_applicable": False,
    "followup": None,
    "expected": None,
    "compliance": None,
    "traffic_light": None,
    "status": "Sin dato",
    "next_date": None,
    **{column: False for column in ALERT_FLAG_DTYPES},
}
CODE_OF_LABEL = {label: code for code, label in ALERTS.items()}


def _flags(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with its short form ``"alerts": "Vencida; Sin avance"`` as the flag columns."""
    row = dict(row)
    text = row.pop("alerts", None) or ""
    for label in filter(None, text.split(ALERT_SEPARATOR)):
        row[alert_column(CODE_OF_LABEL[label])] = True
    return row


def activities(*rows: dict[str, Any]) -> pd.DataFrame:
    """A checked activities frame from short dicts; ids and rows numbered in order. Alerts
    may be given as labels joined as in Actividades: ``"alerts": "Vencida; Sin avance"``."""
    records = [
        {**ACTIVITY_DEFAULTS, "activity_id": i, "row": 10 + i, **_flags(row)}
        for i, row in enumerate(rows)
    ]
    if not records:
        return empty(CHECKED_ACTIVITY_DTYPES)
    frame = pd.DataFrame(records, columns=list(CHECKED_ACTIVITY_DTYPES))
    typed: pd.DataFrame = frame.astype(CHECKED_ACTIVITY_DTYPES)
    return typed


def alerts_for(acts: pd.DataFrame) -> pd.DataFrame:
    """One alert row per alert flag of each activity, as check would list them."""
    records = []
    for act in acts.to_dict("records"):
        for code, label in ALERTS.items():
            if not act[alert_column(code)]:
                continue
            records.append(
                {
                    "activity_id": act["activity_id"],
                    "file": act["file"],
                    "sheet": act["sheet"],
                    "row": act["row"],
                    "component_label": act["component_label"],
                    "activity": act["activity"],
                    "owner": act["owner"],
                    "alert": label,
                    "code": code,
                    "detail": f"{label} al corte",
                }
            )
    if not records:
        return empty(ALERT_DTYPES)
    typed: pd.DataFrame = pd.DataFrame(records, columns=list(ALERT_DTYPES)).astype(ALERT_DTYPES)
    return typed


def deliveries_for(acts: pd.DataFrame, cutoff: dt.date) -> pd.DataFrame:
    """One delivery per dd/mm/yyyy date in each activity's ``schedule``, as normalize and
    check would give them (sequence in date order, ``due`` on or before the cut, ``state``
    by check's rule)."""
    records = []
    for act in acts.itertuples(index=False):
        text = act.schedule if isinstance(act.schedule, str) else ""
        found = sorted(
            dt.datetime.strptime(d, "%d/%m/%Y") for d in re.findall(r"\d\d/\d\d/\d{4}", text)
        )
        for sequence, date in enumerate(found, start=1):
            records.append((act.activity_id, sequence, date, date.date() <= cutoff))
    columns = [*DELIVERY_DTYPES, "due"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame = frame.astype({**DELIVERY_DTYPES, "due": "boolean"})
    return delivery_states(acts, frame)


def consolidation(
    acts: pd.DataFrame | None = None,
    problems: list[Problem] | None = None,
    *,
    alerts: pd.DataFrame | None = None,
    deliveries: pd.DataFrame | None = None,
    cutoff: dt.date = dt.date(2020, 4, 30),
) -> Consolidation:
    """A checked run built by hand; deliveries come from the schedules unless given."""
    acts = activities() if acts is None else acts
    return Consolidation(
        activities=acts,
        deliveries=deliveries_for(acts, cutoff) if deliveries is None else deliveries,
        alerts=alerts_for(acts) if alerts is None else alerts,
        problems=problems or [],
        cutoff=cutoff,
        cutoff_source="FECHA CORTE en seguimiento.xlsx",
        files_read=sorted(set(acts["file"].dropna())) or ["seguimiento.xlsx"],
        entities=sorted(set(acts["entity"].dropna())),
        years=sorted({int(y) for y in acts["year"].dropna()}),
    )


# Reading cells ----------------------------------------------------------------------------


def load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    """Every row of one sheet as plain values (trailing empty cells included)."""
    ws = load(path)[sheet]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def find_row(ws: Worksheet, first_value: str, column: int = 1) -> int:
    """1-based row whose cell in ``column`` equals ``first_value``."""
    for (cell,) in ws.iter_rows(min_col=column, max_col=column):
        if cell.value == first_value:
            return int(cell.row)
    raise AssertionError(f"{first_value!r} not found in column {column} of {ws.title}")


def labelled(ws: Worksheet, label: str) -> Any:
    """The value right of a label in column A, as the Resumen shows it."""
    return ws.cell(row=find_row(ws, label), column=2).value


# Reading the package ----------------------------------------------------------------------


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> absolute part name for ``part``."""
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if rels_part not in zf.namelist():
        return {}
    root = ElementTree.fromstring(zf.read(rels_part))
    return {
        rel.get("Id", ""): posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
        for rel in root.findall("rel:Relationship", NS)
    }


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name -> its worksheet part inside the zip."""
    with zipfile.ZipFile(path) as zf:
        root = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = _rels(zf, "xl/workbook.xml")
        return {
            sheet.get("name", ""): rels[sheet.get(R_ID, "")]
            for sheet in root.findall("main:sheets/main:sheet", NS)
        }


def sheet_xml(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(sheet_parts(path)[sheet]).decode("utf-8")


def all_sheet_xml(path: Path) -> str:
    return "".join(sheet_xml(path, name) for name in sheet_parts(path))


def charts(path: Path) -> list[dict[str, Any]]:
    """Each chart part: its plot types (with bar direction), title text and series formulas."""
    found = []
    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            root = ElementTree.fromstring(zf.read(name))
            plot = root.find("c:chart/c:plotArea", NS)
            assert plot is not None
            kinds = []
            for child in plot:
                tag = child.tag.split("}")[1]
                if tag.endswith("Chart"):
                    direction = child.find("c:barDir", NS)
                    kinds.append(tag if direction is None else f"{tag}:{direction.get('val')}")
            title = "".join(t.text or "" for t in root.iterfind("c:chart/c:title//{*}t", NS))
            refs = [f.text or "" for f in root.iterfind(".//c:ser//c:f", NS)]
            axes = [
                "".join(t.text or "" for t in ax.iterfind("c:title//{*}t", NS))
                for ax in plot
                if ax.tag.split("}")[1] in ("catAx", "valAx")
            ]
            points = [
                [c.get("val") for c in dpt.iterfind("c:spPr/{*}solidFill/{*}srgbClr", NS)]
                for dpt in plot.iterfind(".//c:ser/c:dPt", NS)
            ]
            found.append(
                {"part": name, "kinds": kinds, "title": title, "refs": refs, "axes": axes,
                 "points": [p[0] if p else None for p in points]}
            )  # fmt: skip
    return found


def chart_anchors(path: Path, sheet: str) -> list[tuple[int, int, int, int]]:
    """0-based (first col, first row, last col, last row) of every chart on ``sheet``."""
    part = sheet_parts(path)[sheet]
    anchors = []
    with zipfile.ZipFile(path) as zf:
        for drawing in _rels(zf, part).values():
            if "/drawings/" not in drawing:
                continue
            root = ElementTree.fromstring(zf.read(drawing))
            for anchor in root.findall("xdr:twoCellAnchor", NS):
                ends = [
                    (int(anchor.findtext(f"xdr:{end}/xdr:col", "0", NS)),
                     int(anchor.findtext(f"xdr:{end}/xdr:row", "0", NS)))
                    for end in ("from", "to")
                ]  # fmt: skip
                anchors.append((ends[0][0], ends[0][1], ends[1][0], ends[1][1]))
    return anchors


def ref_values(path: Path, ref: str) -> list[Any]:
    """The values a chart formula like ``Resumen!$A$3:$A$5`` points at."""
    sheet, cells = ref.split("!")
    ws = load(path)[sheet.strip("'")]
    block = ws[cells.replace("$", "")]
    if not isinstance(block, tuple):
        return [block.value]
    return [c.value for row in block for c in (row if isinstance(row, tuple) else (row,))]


def chart_plots(path: Path) -> list[dict[str, Any]]:
    """Each chart part as {"title", "plots": [{"kind", "grouping", "series": [...]}]}.

    A series is {"name", "categories", "values"}: the formulas it reads (None when literal).
    """
    found = []
    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            root = ElementTree.fromstring(zf.read(name))
            plot_area = root.find("c:chart/c:plotArea", NS)
            assert plot_area is not None
            plots = []
            for child in plot_area:
                tag = child.tag.split("}")[1]
                if not tag.endswith("Chart"):
                    continue
                direction = child.find("c:barDir", NS)
                grouping = child.find("c:grouping", NS)
                series = [
                    {
                        "name": ser.findtext("c:tx/c:strRef/c:f", None, NS),
                        "categories": ser.findtext("c:cat//c:f", None, NS),
                        "values": ser.findtext("c:val//c:f", None, NS),
                    }
                    for ser in child.findall("c:ser", NS)
                ]
                plots.append(
                    {
                        "kind": tag if direction is None else f"{tag}:{direction.get('val')}",
                        "grouping": None if grouping is None else grouping.get("val"),
                        "series": series,
                    }
                )
            title = "".join(t.text or "" for t in root.iterfind("c:chart/c:title//{*}t", NS))
            found.append({"part": name, "title": title, "plots": plots})
    return found


def chart_caches(path: Path, title: str) -> list[dict[str, Any]]:
    """The values the chart titled ``title`` caches per series, as Excel shows them before it
    recalculates: {"name", "categories", "values"} (a point with no value: None)."""

    def points(cache: ElementTree.Element | None) -> list[Any]:
        if cache is None:
            return []
        count = int(cache.find("c:ptCount", NS).get("val", "0"))  # type: ignore[union-attr]
        found: list[Any] = [None] * count
        for pt in cache.findall("c:pt", NS):
            found[int(pt.get("idx", "0"))] = pt.findtext("c:v", None, NS)
        return found

    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            root = ElementTree.fromstring(zf.read(name))
            if "".join(t.text or "" for t in root.iterfind("c:chart/c:title//{*}t", NS)) != title:
                continue
            return [
                {
                    "name": points(ser.find("c:tx/c:strRef/c:strCache", NS)),
                    "categories": points(ser.find("c:cat//c:strCache", NS)),
                    "values": points(ser.find("c:val//c:numCache", NS)),
                }
                for ser in root.iterfind(".//c:ser", NS)
            ]
    raise AssertionError(f"no chart titled {title!r}")


def defined_names(path: Path) -> dict[tuple[str, str | None], str]:
    """(name, local sheet index or None) -> formula, from xl/workbook.xml."""
    with zipfile.ZipFile(path) as zf:
        root = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    return {
        (item.get("name", ""), item.get("localSheetId")): item.text or ""
        for item in root.iterfind("main:definedNames/main:definedName", NS)
    }


def hyperlinks(path: Path, sheet: str) -> list[dict[str, str | None]]:
    """Each <hyperlink> of a sheet: its cell, its in-workbook location and any external id."""
    root = ElementTree.fromstring(sheet_xml(path, sheet))
    return [
        {"ref": link.get("ref"), "location": link.get("location"), "external": link.get(R_ID)}
        for link in root.iterfind("main:hyperlinks/main:hyperlink", NS)
    ]


def row_breaks(path: Path, sheet: str) -> list[int]:
    """Manual page breaks of a sheet: the 1-based rows a new page starts at."""
    ws = load(path)[sheet]
    return [int(brk.id) + 1 for brk in ws.row_breaks.brk]


def app_property(path: Path, name: str) -> str | None:
    """A field of docProps/app.xml (Company, for instance), which openpyxl does not read."""
    with zipfile.ZipFile(path) as zf:
        root = ElementTree.fromstring(zf.read("docProps/app.xml"))
    for child in root:
        if child.tag.split("}")[1] == name:
            return child.text
    return None


def quote_prefixed(path: Path, sheet: str) -> dict[str, bool]:
    """Cell reference -> whether its style carries Excel's quotePrefix ("keep as text") flag."""
    with zipfile.ZipFile(path) as zf:
        styles = ElementTree.fromstring(zf.read("xl/styles.xml"))
        cells = ElementTree.fromstring(zf.read(sheet_parts(path)[sheet]))
    xfs = styles.findall("main:cellXfs/main:xf", NS)
    flags = [xf.get("quotePrefix") == "1" for xf in xfs]
    return {
        c.get("r", ""): flags[int(c.get("s", "0"))]
        for c in cells.iterfind("main:sheetData/main:row/main:c", NS)
    }


def libreoffice_convert(path: Path, to: str, folder: Path, timeout: float = 180) -> Path:
    """``path`` converted by LibreOffice headless into ``folder`` (``to``: "pdf", "xlsx"…),
    with a private profile so it never clashes with a user's; fails the test on an error."""
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", to, "--outdir", str(folder), str(path)],
        capture_output=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "HOME": str(folder)},
    )
    assert done.returncode == 0, done.stderr
    return folder / f"{path.stem}.{to}"
