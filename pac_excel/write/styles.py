"""styles: every cell format and colour of the workbook, created once per workbook.

xlsxwriter formats are objects registered with the workbook; creating one per cell is slow and
bloats styles.xml, so each sheet writer picks from this set.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter import Workbook

from pac_excel.check import labels
from pac_excel.check.semaforo import GREEN, RED, YELLOW

DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0%"
# A cumplimiento whose whole percent would read as another semáforo colour (59.7 % shown
# "60 %" beside Rojo) is shown with its tenth: "59.7 %".
TENTH_PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
# The data lists (Actividades, Alertas, Problemas…) look like Excel's "Table Style Light 9"
# without being tables (a streamed sheet cannot hold one): blue header, every other row tinted.
LIST_HEADER_FILL = "#4472C4"
LIST_BAND_FILL = "#DCE6F1"

NAVY = "#1F3864"
GREY_TEXT = "#595959"
RULE = "#BFBFBF"
ALARM_RED = "#C00000"

# DAFP colours: Excel's own "bad / neutral / good" cell styles (fill, font).
LIGHT_COLOURS: dict[str, tuple[str, str]] = {
    RED: ("#FFC7CE", "#9C0006"),
    YELLOW: ("#FFEB9C", "#9C5700"),
    GREEN: ("#C6EFCE", "#006100"),
}
# Solid versions for chart series and the threshold lines.
LIGHT_SOLID: dict[str, str] = {
    RED: "#E15759",
    YELLOW: "#F2C14E",
    GREEN: "#59A14F",
}
STATUS_COLOURS: dict[str, str] = {
    labels.DONE: "#59A14F",
    labels.IN_PROGRESS: "#4E79A7",
    labels.OVERDUE: "#E15759",
    labels.NOT_STARTED: "#F28E2B",
    labels.NOT_APPLICABLE: "#A5A5A5",
    labels.NO_DATA: "#D9D9D9",
}
# Cronograma: (marker fill, marker font, bar fill) per delivery state.
DELIVERY_COLOURS: dict[str, tuple[str, str, str]] = {
    labels.DELIVERY_DONE: ("#59A14F", "#FFFFFF", "#D9EAD3"),
    labels.DELIVERY_OVERDUE: ("#E15759", "#FFFFFF", "#F8D7DA"),
    labels.DELIVERY_PENDING: ("#4E79A7", "#FFFFFF", "#DDE7F2"),
    labels.DELIVERY_NA: ("#A5A5A5", "#FFFFFF", "#EDEDED"),
    labels.DELIVERY_NO_DATA: ("#D9D9D9", "#000000", "#F2F2F2"),
}
# What a month cell shows besides its colour, so a black-and-white print still reads.
DELIVERY_MARKS: dict[str, str] = {
    labels.DELIVERY_DONE: "✔",
    labels.DELIVERY_OVERDUE: "✖",
    labels.DELIVERY_PENDING: "●",
    labels.DELIVERY_NA: "–",
    labels.DELIVERY_NO_DATA: "?",
}
SERIES_COLOURS = ("#2F5597", "#ED7D31")

# Cell kinds of the data sheets: how a value is shown (see Formats.cells).
KINDS: dict[str, dict[str, Any]] = {
    "text": {},
    "wrap": {"text_wrap": True},
    "int": {"num_format": "0", "align": "center"},
    "pct": {"num_format": PERCENT_FORMAT, "align": "right"},
    # Percentages that may hold a short note ("Sin programación a la fecha", "N/A").
    "pct_note": {"num_format": PERCENT_FORMAT, "align": "right", "text_wrap": True},
    "center": {"align": "center"},
    "center_wrap": {"align": "center", "text_wrap": True},
    # Secondary text (where a row came from): 8 pt, so a long file name takes two lines.
    "small_wrap": {"text_wrap": True, "font_size": 8, "font_color": "#595959"},
    "date": {"num_format": DATE_FORMAT, "align": "center"},
    # A text repeated from the row above to filter by: grey, on one line (cut at the border).
    "repeat": {"font_color": GREY_TEXT},
}


class Formats:
    """Every format the workbook uses; attributes are grouped by the sheet part they serve."""

    def __init__(self, workbook: Workbook) -> None:
        add = workbook.add_format
        base = {"valign": "top", "font_size": 10}
        # (plain, quoted): quote_prefix keeps a leading "=" as text even after F2 + Enter.
        self.cells = {
            kind: (add({**base, **extra}), add({**base, **extra, "quote_prefix": True}))
            for kind, extra in KINDS.items()
        }
        self.table_header = add(
            {"bold": True, "text_wrap": True, "valign": "vcenter", "font_size": 10}
        )
        self.list_header = add(
            {"bold": True, "text_wrap": True, "valign": "vcenter", "font_size": 10,
             "bg_color": LIST_HEADER_FILL, "font_color": "#FFFFFF", "border": 1,
             "border_color": LIST_HEADER_FILL}
        )  # fmt: skip
        self.list_band = add({"bg_color": LIST_BAND_FILL})
        self.title = add({"bold": True, "font_size": 16, "font_color": NAVY, "valign": "vcenter"})
        self.subtitle = add({"italic": True, "font_size": 9, "font_color": GREY_TEXT})
        self.section = add(
            {"bold": True, "font_size": 12, "font_color": NAVY, "bottom": 2, "bottom_color": NAVY}
        )
        self.label = add({"bold": True, "valign": "top", "font_size": 10})
        value = {"valign": "top", "align": "left", "font_size": 10, "text_wrap": True}
        self.value = add(value)
        self.value_quoted = add({**value, "quote_prefix": True})
        self.value_date = add({**value, "num_format": DATE_FORMAT, "bold": True})
        self.value_strong = add({**value, "bold": True})
        self.deadline = {
            "ok": add({**value, "font_color": "#006100", "bold": True}),
            "soon": add({**value, "font_color": "#9C5700", "bold": True}),
            "late": add({**value, "font_color": ALARM_RED, "bold": True}),
        }
        rule = {"bottom": 1, "bottom_color": "#D9D9D9", "font_size": 10, "valign": "vcenter"}
        self.kpi_label = add({**rule, "text_wrap": True})
        self.kpi_count = add({**rule, "num_format": COUNT_FORMAT, "bold": True})
        self.kpi_pct = add({**rule, "num_format": PERCENT_FORMAT, "bold": True})
        self.kpi_pct_tenth = add({**rule, "num_format": TENTH_PERCENT_FORMAT, "bold": True})
        self.kpi_none = add({**rule, "bold": True, "align": "right", "font_color": "#808080"})
        grid = {"border": 1, "border_color": RULE, "valign": "top", "font_size": 10}
        self.grid_header = add(
            {
                **grid,
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "bg_color": NAVY,
                "font_color": "#FFFFFF",
            }
        )
        self.grid_text = add({**grid, "text_wrap": True})
        self.grid_text_quoted = add({**grid, "text_wrap": True, "quote_prefix": True})
        self.grid_link = add({**grid, "text_wrap": True, "font_color": "#1F4E9A", "underline": 1})
        self.grid_count = add({**grid, "num_format": COUNT_FORMAT})
        self.grid_pct = add({**grid, "num_format": PERCENT_FORMAT})
        self.grid_pct_tenth = add({**grid, "num_format": TENTH_PERCENT_FORMAT})
        self.grid_center = add({**grid, "align": "center"})
        self.grid_center_wrap = add({**grid, "align": "center", "text_wrap": True})
        total = {**grid, "bold": True, "bg_color": "#F2F2F2", "top": 2, "top_color": NAVY}
        self.total_text = add({**total, "text_wrap": True})
        self.total_count = add({**total, "num_format": COUNT_FORMAT})
        self.total_pct = add({**total, "num_format": PERCENT_FORMAT})
        self.total_pct_tenth = add({**total, "num_format": TENTH_PERCENT_FORMAT})
        self.total_center = add({**total, "align": "center"})
        self.helper_header = add(
            {**grid, "italic": True, "font_size": 8, "font_color": "#808080", "text_wrap": True,
             "align": "center", "valign": "vcenter"}
        )  # fmt: skip
        self.helper_pct = add(
            {**grid, "font_size": 8, "font_color": "#808080", "num_format": PERCENT_FORMAT}
        )
        self.note = add(
            {"italic": True, "font_size": 9, "font_color": GREY_TEXT, "text_wrap": True}
        )
        self.lights = {
            name: add({"bg_color": fill, "font_color": font})
            for name, (fill, font) in LIGHT_COLOURS.items()
        }
        self.legend = {
            name: add(
                {**grid, "bg_color": fill, "font_color": font, "bold": True, "text_wrap": True}
            )
            for name, (fill, font) in LIGHT_COLOURS.items()
        }
        self.alarm = add({"bold": True, "font_color": ALARM_RED})

        # Seguimiento OCI: the DAFP form, boxed like the paper one.
        box = {"border": 1, "border_color": "#808080", "font_size": 10, "valign": "top"}
        self.form_title = add(
            {**box, "bold": True, "font_size": 12, "align": "center", "valign": "vcenter",
             "bg_color": "#D9E1F2", "text_wrap": True}
        )  # fmt: skip
        self.form_label = add({**box, "bold": True, "bg_color": "#F2F2F2"})
        self.form_value = add({**box, "text_wrap": True})
        self.form_value_quoted = add({**box, "text_wrap": True, "quote_prefix": True})
        self.form_date = add({**box, "num_format": DATE_FORMAT, "align": "left"})
        self.form_component = add(
            {**box, "bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "vcenter"}
        )
        self.form_head = add(
            {**box, "bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
             "bg_color": NAVY, "font_color": "#FFFFFF"}
        )  # fmt: skip
        self.form_cell = add({**box, "text_wrap": True})
        self.form_cell_quoted = add({**box, "text_wrap": True, "quote_prefix": True})
        self.form_pending = add({**box, "text_wrap": True, "italic": True, "font_color": "#808080"})
        self.form_pct = add({**box, "num_format": PERCENT_FORMAT, "align": "center"})
        self.form_pct_lights = {
            name: add({**box, "num_format": PERCENT_FORMAT, "align": "center",
                       "bg_color": fill, "font_color": font})
            for name, (fill, font) in LIGHT_COLOURS.items()
        }  # fmt: skip
        self.form_center = add({**box, "align": "center", "text_wrap": True})
        self.form_total = add({**box, "bold": True, "bg_color": "#F2F2F2", "text_wrap": True})
        self.form_sign = add({"font_size": 10, "align": "left"})
        self.form_total_pct = add(
            {**box, "bold": True, "bg_color": "#F2F2F2", "num_format": PERCENT_FORMAT,
             "align": "center"}
        )  # fmt: skip

        # Por responsable: one heading band per area.
        self.area_heading = add(
            {"bold": True, "font_size": 11, "font_color": "#FFFFFF", "bg_color": "#2F5597",
             "valign": "vcenter", "text_wrap": True}
        )  # fmt: skip
        self.area_summary = add(
            {"italic": True, "font_size": 9, "font_color": NAVY, "bg_color": "#DDE7F2",
             "valign": "vcenter", "text_wrap": True}
        )  # fmt: skip
        self.quiet = add({**base, "text_wrap": True, "italic": True, "font_color": "#808080"})
        self.missing = add({**base, "text_wrap": True, "font_color": ALARM_RED, "bold": True})
        self.missing_quoted = add(
            {**base, "text_wrap": True, "font_color": ALARM_RED, "bold": True, "quote_prefix": True}
        )

        # Cronograma: a coloured mark on the delivery month, a pale bar before it.
        mark = {"align": "center", "valign": "vcenter", "font_size": 9, "bold": True}
        self.gantt_mark = {
            state: add({**mark, "bg_color": fill, "font_color": font})
            for state, (fill, font, _bar) in DELIVERY_COLOURS.items()
        }
        self.gantt_bar = {
            state: add({"bg_color": bar}) for state, (_f, _t, bar) in DELIVERY_COLOURS.items()
        }
        self.cut_month = add({"right": 2, "right_color": ALARM_RED})
        month = {"bold": True, "align": "center", "valign": "vcenter", "font_size": 9,
                 "font_color": "#FFFFFF", "border": 1, "border_color": RULE}  # fmt: skip
        self.month_header = add({**month, "bg_color": NAVY})
        self.cut_header = add({**month, "bg_color": ALARM_RED})
