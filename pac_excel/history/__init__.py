"""history: memory from cut to cut (store, matching, the year's evolution, plan vs follow-up)."""

from pac_excel.history.record import PROGRAM, attach_history
from pac_excel.history.store import STORE_NAME, HistoryError, Store, StoredCut

__all__ = ["PROGRAM", "STORE_NAME", "HistoryError", "Store", "StoredCut", "attach_history"]
