"""Languages other than English, on the ground floor: plain rules any part may use.

- `uly`: Uyghur in Latin script (ULY) made from Uyghur in Arabic script by rule, and
  which Arabic-script characters are not Uyghur letters.
- `lint`: the checks a Uyghur message catalogue must pass (`advocacy i18n lint`).

This package imports nothing else of `advocacy`, nor Flask (a contract in pyproject.toml),
so the script rules can be read, and tested, in one place.
"""
