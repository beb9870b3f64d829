"""parse: one cell's text -> a value (schedule dates, progress, period labels); never raises."""
