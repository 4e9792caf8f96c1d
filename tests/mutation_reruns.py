"""A pytest plugin for mutation testing (docs/mutation-testing.md), which runs pytest many
times in one process (or in forks of it): each run imports the test modules afresh.

pytest keeps the ids it generated for a parametrize mark on the mark itself, and a second
run in the same process escapes those again: "Hern\\xe1ndez" becomes "Hern\\\\xe1ndez", and
mutmut's list of tests to run no longer names any test. A module imported again has new
marks. Only the test modules are dropped; the libraries and the app stay imported.
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
        path = Path(found)
        if path.name.startswith("test_") and TESTS in path.resolve().parents:
            del sys.modules[name]
