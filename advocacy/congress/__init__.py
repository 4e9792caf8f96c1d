"""Plain facts about Congress, on the ground floor: everything else may import them.

- `calendar`: which Congress sits at a moment (sworn in at noon Eastern on January 3 of
  odd years), and how those moments are written.
- `states`: states, DC and the territories, their names and codes.
- `members`: a member of Congress as the rest of the service sees one.
- `maps`: which states' district maps changed from one Congress to the next
  (`map_changes.toml`, an editable table with sources).

This package imports nothing else of `advocacy` (a contract in pyproject.toml), so the
changeover's rules can be read, and tested, in one place.
"""
