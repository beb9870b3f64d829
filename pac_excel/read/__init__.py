"""read: a file in the input folder -> RawSheet values, after the pre-flight safety scans.

``formats/`` holds one bounded scanner or reader per file family (xlsx, xls, ods, text).
"""

from pac_excel.read.sheets import InputFile, RawSheet, collect_inputs, read_file

__all__ = ["InputFile", "RawSheet", "collect_inputs", "read_file"]
