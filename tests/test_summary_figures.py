"""Resumen: the figure a reader sees agrees with its semáforo colour."""

from __future__ import annotations

from pac_excel.check.semaforo import DAFP_THRESHOLDS
from pac_excel.write.sheets.summary import shown_pct

PLAIN, TENTH = "0%", "0.0%"


def test_a_figure_that_would_round_across_a_threshold_keeps_its_tenth() -> None:
    # 59.7 % is Rojo: shown "60 %" it would read as Amarillo, so it is shown "59.7 %".
    assert shown_pct(0.597, DAFP_THRESHOLDS, PLAIN, TENTH) == TENTH
    assert shown_pct(0.796, DAFP_THRESHOLDS, PLAIN, TENTH) == TENTH
    # Figures whose whole percent keeps the colour stay whole.
    assert shown_pct(0.594, DAFP_THRESHOLDS, PLAIN, TENTH) == PLAIN
    assert shown_pct(0.63, DAFP_THRESHOLDS, PLAIN, TENTH) == PLAIN
    assert shown_pct(0.80, DAFP_THRESHOLDS, PLAIN, TENTH) == PLAIN
    assert shown_pct(None, DAFP_THRESHOLDS, PLAIN, TENTH) == PLAIN
