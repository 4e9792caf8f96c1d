"""A pytest plugin for mutation testing (docs/mutation-testing.md), which runs pytest many
times in one process (or in forks of it): each run imports the test modules afresh, and
starts with the test helpers' caches empty.

pytest keeps the ids it generated for a parametrize mark on the mark itself, and a second
run in the same process escapes those again: "Hern\\xe1ndez" becomes "Hern\\\\xe1ndez", and
mutmut's list of tests to run no longer names any test. A module imported again has new
marks. Only the test modules are dropped; the libraries and the app stay imported.

mutmut forks each mutant's run from a process that has already run the suite once, with
the original code. A helper's cached result (`data_files.snapshot_directory()`, the
directory built from the shipped snapshot) would then be the original code's, and a mutant
of the code that built it would be tested against what it did not build: every mutant of
the directory's parsing would survive. The helpers stay imported (conftest holds their
objects) but every `functools` cache in them is emptied, so a run builds what it reads.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    for name, module in list(sys.modules.items()):
        found = getattr(module, "__file__", None)
        if not found:
            continue
        path = Path(found).resolve()
        if TESTS not in path.parents:
            continue
        if path.name.startswith("test_"):
            del sys.modules[name]
            continue
        for value in list(vars(module).values()):
            cache_clear = getattr(value, "cache_clear", None)
            if callable(cache_clear) and getattr(value, "__module__", None) == module.__name__:
                cache_clear()
