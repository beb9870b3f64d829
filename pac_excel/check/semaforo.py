"""semaforo: the DAFP colour scale on cumplimiento, for one value or a whole column.

DAFP scale ("Estrategias para la construcción del PAAC"): 0-59 % red, 60-79 % yellow,
80-100 % green; fractional values use < 60 and < 80. An office may set its own limits in its
config (``Thresholds``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pac_excel.check.labels import pick

RED_BELOW = 0.60
YELLOW_BELOW = 0.80
# Float noise such as 0.48 / 0.6 = 0.7999999999999999 must not turn a displayed 80 % yellow.
# The workbook's conditional formats use the same tolerance, so cells and labels agree.
FLOAT_TOLERANCE = 1e-9
RED, YELLOW, GREEN = "Rojo", "Amarillo", "Verde"


@dataclass(frozen=True)
class Thresholds:
    """The semáforo limits on cumplimiento; an office may set its own in its config."""

    red_below: float = RED_BELOW
    yellow_below: float = YELLOW_BELOW


DAFP_THRESHOLDS = Thresholds()


def traffic_light(value: float | None, thresholds: Thresholds = DAFP_THRESHOLDS) -> str | None:
    """The DAFP colour of one compliance value; None for no value."""
    if value is None or pd.isna(value) or not math.isfinite(value):
        return None
    if value < thresholds.red_below - FLOAT_TOLERANCE:
        return RED
    if value < thresholds.yellow_below - FLOAT_TOLERANCE:
        return YELLOW
    return GREEN


def traffic_lights(values: pd.Series, thresholds: Thresholds = DAFP_THRESHOLDS) -> pd.Series:
    """The DAFP colour of each compliance value, <NA> where there is none."""
    numbers = pd.to_numeric(values, errors="coerce").astype("Float64")
    filled = numbers.fillna(np.inf).to_numpy(dtype="float64")
    red, yellow = thresholds.red_below, thresholds.yellow_below
    colours = pick(
        [filled < red - FLOAT_TOLERANCE, filled < yellow - FLOAT_TOLERANCE],
        [RED, YELLOW],
        default=GREEN,
    )
    result = pd.Series(colours, index=values.index, dtype="string")
    lights: pd.Series = result.mask(numbers.isna() | ~np.isfinite(filled))
    return lights
