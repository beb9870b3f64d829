"""Per-entity figures computed for every entity at once are each entity's own figures.

Resumen and the publication need, for each entity, its components' table and its areas.
``component_summaries`` groups once and types the whole table once before cutting it per
entity; ``owner_areas`` splits each distinct owner text once and names each area by its most
frequent spelling within its entity. These tests hold both to the plain rule: the summary of
each entity on its own, and the spelling counted entity by entity.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from readback import activities

from pac_excel.check.figures import alert_text, component_summaries, component_summary
from pac_excel.check.labels import ALERT_SEPARATOR, ALERTS, alert_column
from pac_excel.check.owners import owner_areas
from pac_excel.frames import AREA_DTYPES

ENTITIES = ["Alcaldía de Mocoa", "Gobernación del Putumayo", "Alcaldía de Sibundoy"]


def _several() -> pd.DataFrame:
    rows = []
    for i in range(30):
        rows.append(
            {
                "entity": ENTITIES[(i * 7) % 3],
                "component": 1 + i % 4 if i % 11 else None,
                "component_label": f"Componente {1 + i % 4}" if i % 5 else None,
                "progress": (i % 6) / 5,
                "compliance": (i % 4) / 3,
                "status": ("Cumplida", "En avance", "Vencida")[i % 3],
            }
        )
    return activities(*rows)


def test_each_entity_gets_the_summary_it_has_alone() -> None:
    acts = _several()
    grouped = component_summaries(acts, acts["entity"])
    assert list(grouped) == sorted(set(acts["entity"]))
    for entity, table in grouped.items():
        alone = component_summary(acts[acts["entity"] == entity].reset_index(drop=True))
        pd.testing.assert_frame_equal(table, alone)


def test_an_area_is_named_by_its_most_frequent_spelling_in_its_entity() -> None:
    acts = activities(
        {"entity": "A", "owner": "Planeación"},
        {"entity": "A", "owner": "PLANEACION"},  # a tie: the first spelling seen wins
        {"entity": "B", "owner": "PLANEACION / TIC"},
        {"entity": "B", "owner": "Planeación"},
        {"entity": "B", "owner": "PLANEACION"},  # twice in B: it names B's area
        {"entity": "B", "owner": "Tic"},
        {"entity": "B", "owner": "PLANEACION / TIC"},  # the same text, split once
    )
    areas = owner_areas(acts)
    assert areas.dtypes.astype(str).to_dict() == AREA_DTYPES
    assert areas["activity_id"].tolist() == [0, 1, 2, 2, 3, 4, 5, 6, 6]
    assert areas["area"].tolist() == [
        "Planeación", "Planeación", "PLANEACION", "TIC", "PLANEACION", "PLANEACION", "TIC",
        "PLANEACION", "TIC",
    ]  # fmt: skip
    assert areas["entity"].tolist() == ["A", "A", *["B"] * 7]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.booleans(), min_size=len(ALERTS), max_size=len(ALERTS)), max_size=40))
def test_alert_text_joins_each_rows_labels_in_order(flags: list[list[bool]]) -> None:
    columns = {alert_column(code): [row[n] for row in flags] for n, code in enumerate(ALERTS)}
    acts = pd.DataFrame(columns, index=pd.RangeIndex(len(flags)) * 3, dtype="boolean")
    text = alert_text(acts)
    assert text.dtype == "string" and list(text.index) == list(acts.index)
    expected = [
        ALERT_SEPARATOR.join(label for on, label in zip(row, ALERTS.values(), strict=True) if on)
        for row in flags
    ]
    assert text.tolist() == expected
