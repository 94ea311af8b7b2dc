"""Document layer: the report as sections, paragraphs and roles, and its profile (unit, level, year)."""
