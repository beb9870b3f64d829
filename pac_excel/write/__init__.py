"""write: a Consolidation -> the formatted workbook (xlsxwriter is used only here).

``sheets/`` holds one module per sheet; ``book`` the shared state, ``cells`` and ``styles``
the cell helpers and formats.
"""

from pac_excel.write.workbook import OutputError, write_workbook

__all__ = ["OutputError", "write_workbook"]
