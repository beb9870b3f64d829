"""normalize: RawSheets -> activities and deliveries frames, with every source row accounted for.

Header finding and its spellings, layouts, the component catalog, what a file says about
itself, and the run's cut-off live here.
"""

from pac_excel.normalize.run import Normalized, SourceInfo, normalize

__all__ = ["Normalized", "SourceInfo", "normalize"]
