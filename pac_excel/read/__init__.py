"""read: a file in the input folder -> RawSheet values, after the pre-flight safety scans.

``inputs`` picks the files up, ``preflight`` decides what each really is and whether it is
safe to parse, ``sheets`` reads it; ``formats/`` holds one bounded scanner or reader per
file family (xlsx, xls, ods, text).
"""

from pac_excel.read.inputs import InputFile, collect_inputs
from pac_excel.read.sheets import RawSheet, read_file

__all__ = ["InputFile", "RawSheet", "collect_inputs", "read_file"]
