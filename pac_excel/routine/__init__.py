"""routine: the office routine around a run (pac-excel.toml, the working folder, mail)."""
