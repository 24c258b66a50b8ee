"""TUI fixtures: the app on a private copy of the sample (see driving.py for sending keys)."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from pathlib import Path

import pytest
from driving import quick_app  # tests/tui is on sys.path, as every test folder is

from briefkit.library.library import Library
from briefkit.tui.app import BriefkitApp

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="session")
def indexed_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample library with its search index built once for the whole run."""
    folder = tmp_path_factory.mktemp("indexed") / "seeds"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns(".briefkit"))
    Library.open(folder).index().update()
    return folder


@pytest.fixture
def sample_dir(tmp_path: Path, indexed_seeds: Path) -> Path:
    """A private copy of the sample (brief, library and index) for one test."""
    target = tmp_path / "seeds"
    shutil.copytree(indexed_seeds, target)
    return target


@pytest.fixture
def app(sample_brief: Path) -> BriefkitApp:
    return quick_app(sample_brief)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (App.run_test needs one; no plugin required)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**args))
    return True


