"""contradictions: an activity's claims that contradict each other, as alerts on the activity.

Four rules, each on whole columns (README, «Reglas a la fecha de corte»):

- **avance-sin-evidencia**: 100 % (or the office's own estado "Cumplida") while the follow-up
  text says the evidence is missing ("no se evidencia", "no se aportó", "sin soportes",
  "pendiente").
- **cero-con-ejecucion**: 0 % while the text says the work was done ("se realizó", "actividad
  cumplida"), not negated ("no se realizó").
- **avance-mayor-al-programado**: more progress than the schedule can hold: above 100 %, or a
  count of deliveries larger than the deliveries scheduled ("4 de 4 informes" for 3 dates).
  Reporting a later delivery early is not a contradiction: work may be done ahead of time.
- **fecha-posterior-al-corte**: the follow-up says something was done on a date after the cut
  ("publicado el 12/05/2020" at the 30/04 cut), or the cut's "Fecha de seguimiento" falls after
  the cut's publication deadline: what it reports belongs to the next cut. A follow-up written
  in the days after the cut is normal (the OCI writes it then) and is not flagged.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pandas as pd

from pac_excel.check import labels
from pac_excel.deadline import PUBLICATION_BUSINESS_DAYS, publication_deadline
from pac_excel.frames import distinct_codes, map_distinct

CODES = (
    "avance-sin-evidencia",
    "cero-con-ejecucion",
    "avance-mayor-al-programado",
    "fecha-posterior-al-corte",
)

# An observation that contradicts a 100 % (folded text: no accents, lower case).
NO_EVIDENCE = (
    r"\b(?:no se evidenci\w*|no se encontr\w* (?:los )?(?:soportes?|evidencias?)|"
    r"sin (?:evidencias?|soportes?)|no (?:hay|existe|existen|presenta|presento|aporto|aporta|"
    r"allego|remitio|se aporto|se aportaron|se allego|se remitio|se presento|se presentaron) "
    r"(?:la |las |los )?(?:evidencias?|soportes?)|no se (?:ha |han )?(?:realizado|ejecutado|"
    r"cumplido)|no se realizo|no se cumplio|pendiente)"
)
# The work was done, said in the past tense; "no se realizó" is excluded by the lookbehind.
DONE_WORDS = (
    r"(?<!no )\b(?:se (?:realizo|realizaron|ejecuto|ejecutaron|cumplio|publico|publicaron|"
    r"entrego|entregaron|llevo a cabo|elaboro|socializo|aprobo|adopto)\b|"
    r"actividad (?:cumplida|realizada|ejecutada)\b)"
)
_COUNT = re.compile(r"^\s*(\d{1,4})\s*(?:de|/)\s*(\d{1,4})\b")
_DAY = r"\d{1,2}/\d{1,2}/\d{4}"
_ANY_DATE = re.compile(_DAY)
_DATE = rf"({_DAY})"
# A date the text says something happened on: "publicado el 12/05/2020", "El 12/05/2020 se
# socializó". "programado para el 30/06/2020" is a plan, not an event, and does not count.
_EVENT_DATE = re.compile(
    rf"(?:\b\w+(?:o|aron|ada|ado|adas|ados|ida|ido|idas|idos) (?:el |en |con fecha )?(?:dia )?"
    rf"{_DATE}|\bel {_DATE},? se \w+(?:o|aron)\b)"
)
_NO_EVIDENCE = re.compile(NO_EVIDENCE)
_DONE_WORDS = re.compile(DONE_WORDS)


def folded(text: pd.Series) -> pd.Series:
    """Lower case without accents, for the phrase searches.

    One pass per value (``_ascii_lower``): the chain of ``.str`` steps it replaces made a
    whole new copy of the column at each of its four steps.
    """
    plain = map_distinct(text.astype("string").fillna(""), _ascii_lower).astype("string")
    return plain


def _ascii_lower(value: str) -> str:
    """NFKD, then the ASCII letters only, lower case: "Publicación" -> "publicacion"."""
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").lower()


def contradiction_flags(
    acts: pd.DataFrame,
    cutoff: dt.date,
    publication_days: int = PUBLICATION_BUSINESS_DAYS,
) -> tuple[dict[str, pd.Series], dict[str, pd.Series]]:
    """Per code of CODES, the boolean mask over ``acts`` and the Spanish detail of each
    activity it flags (indexed like ``acts``, flagged rows only)."""
    text = folded(acts["followup"])
    progress = acts["progress"].astype("Float64")
    na = acts["not_applicable"].fillna(False).astype(bool)
    status = folded(acts["reported_status"])
    claims_done = progress.ge(1).fillna(False) | status.str.startswith("cumplid").fillna(False)
    zero = progress.eq(0).fillna(False)
    # A phrase counts only where it can contradict the progress (a 100 % or a 0 %).
    missing = _first_match(text, _NO_EVIDENCE).where(claims_done | zero)
    said_done = _first_match(text, _DONE_WORDS).where(zero)

    counts = map_distinct(folded(acts["progress_text"]), _done_count).astype("Float64")
    n_dates = acts["n_dates"].astype("Float64")
    over_count = counts.gt(n_dates).fillna(False) & n_dates.gt(0)
    over = progress.gt(1).fillna(False) | over_count

    cut = pd.Timestamp(cutoff)
    event_dates = _latest_events(text)
    deadline = pd.Timestamp(publication_deadline(cutoff, publication_days))
    written = acts["followup_date"].astype("datetime64[s]")
    late_event = event_dates.gt(cut).fillna(False)
    late_followup = written.gt(deadline).fillna(False)

    flags = {
        "avance-sin-evidencia": claims_done & missing.notna() & ~na,
        "cero-con-ejecucion": zero & said_done.notna() & missing.isna(),
        "avance-mayor-al-programado": over & ~na,
        "fecha-posterior-al-corte": late_event | late_followup,
    }
    masks = {code: mask.fillna(False).astype(bool) for code, mask in flags.items()}
    # Each detail is written for its flagged rows only (indexed like them): a text per
    # activity and code would be most of what check holds at thousands of files.
    rows = {code: mask[mask].index for code, mask in masks.items()}
    reported = (progress * 100).round().astype("Int64").astype("string") + " %"
    reported = reported.fillna("Cumplida")
    cut_text = cutoff.strftime("%d/%m/%Y")
    late = rows["fecha-posterior-al-corte"]
    event_text = event_dates.loc[late].dt.strftime("%d/%m/%Y").astype("string")
    written_text = written.loc[late].dt.strftime("%d/%m/%Y").astype("string")
    late_detail = ("El seguimiento dice que se hizo el " + event_text + ", después del corte ("
                   + cut_text + "): corresponde al siguiente corte.")  # fmt: skip
    late_detail = late_detail.mask(
        ~late_event.loc[late],
        "La fecha de seguimiento (" + written_text + ") es posterior al plazo de publicación del "
        "corte (" + deadline.strftime("%d/%m/%Y") + ").",
    )
    unproven, undone, beyond = (
        rows["avance-sin-evidencia"], rows["cero-con-ejecucion"], rows["avance-mayor-al-programado"]
    )  # fmt: skip
    count_text = acts["progress_text"].loc[beyond].astype("string")
    details = {
        "avance-sin-evidencia": "El avance reportado es " + reported.loc[unproven]
        + " pero el seguimiento dice «" + missing.loc[unproven].fillna("")
        + "»: revise el avance o la observación.",
        "cero-con-ejecucion": "El avance reportado es 0 % pero el seguimiento dice «"
        + said_done.loc[undone].fillna("")
        + "»: revise el avance o la observación.",
        "avance-mayor-al-programado": (
            "Avance reportado " + reported.loc[beyond] + ", más que lo programado."
        ).mask(
            (over_count & ~progress.gt(1).fillna(False)).loc[beyond],
            "Reporta «" + count_text + "» pero solo hay "
            + acts["n_dates"].loc[beyond].astype("string") + " entregas programadas.",
        ),
        "fecha-posterior-al-corte": late_detail,
    }  # fmt: skip
    return masks, {code: detail.astype("string") for code, detail in details.items()}


def _done_count(progress_text: str) -> float | None:
    """The deliveries a progress written as a count reports done: "3 de 4" -> 3."""
    match = _COUNT.match(progress_text)
    return float(match.group(1)) if match else None


def _first_match(text: pd.Series, pattern: re.Pattern[str]) -> pd.Series:
    """Each row's first match of ``pattern``, <NA> where none: searched once per distinct
    text (a follow-up is often copied from row to row; 11,000 texts in 40,000 rows)."""
    found = map_distinct(text, lambda value: (m := pattern.search(value)) and m.group())
    return found.astype("string")


def _latest_events(text: pd.Series) -> pd.Series:
    """The latest date each row's text says something happened on (_EVENT_DATE), NaT where
    none. Each distinct text is searched once; the dates are read together, as
    ``pd.to_datetime`` reads them (an impossible or out-of-range date is no date)."""
    distinct, codes = distinct_codes(text)
    owners: list[int] = []
    written: list[str] = []
    for number, value in enumerate(distinct):
        if _ANY_DATE.search(value) is None:  # an event date is a date first
            continue
        for match in _EVENT_DATE.finditer(value):
            owners.append(number)
            written.append(next(group for group in match.groups() if group is not None))
    latest = pd.Series(pd.NaT, index=range(len(distinct)), dtype="datetime64[s]")
    if written:
        dates = pd.to_datetime(pd.Series(written, dtype=object), format="%d/%m/%Y",
                               errors="coerce")  # fmt: skip
        latest = dates.groupby(owners).max().reindex(latest.index).astype("datetime64[s]")
    rows: pd.Series = latest.take(codes).set_axis(text.index)
    return rows


def shown_status(acts: pd.DataFrame) -> pd.Series:
    """The estado as Actividades shows it: a Cumplida that an evidence or contradiction alert
    puts in doubt reads "Cumplida (por verificar)"; the data keeps Cumplida."""
    status = acts["status"].astype("string")
    doubt = pd.Series(False, index=acts.index, dtype=bool)
    for code in labels.UNVERIFIED_ALERTS:
        doubt |= acts[labels.alert_column(code)].astype(bool)
    shown: pd.Series = status.mask(
        status.eq(labels.DONE).fillna(False) & doubt, labels.DONE_UNVERIFIED
    )
    return shown
