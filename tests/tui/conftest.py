"""TUI fixtures: the app on a private copy of the sample, with short timings and helpers to wait."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from briefkit.library.library import Library
from briefkit.tui.app import BriefkitApp, make_app

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
    app = make_app(sample_brief)
    app.autosave_delay = 60.0  # tests that want autosave shorten it themselves
    app.render_delay = 0.3  # keeps typing from starting a render per key, as in real use
    app.first_render_delay = 0.0
    return app


Waiter = Callable[[Pilot, BriefkitApp], Awaitable[None]]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop (App.run_test needs one; no plugin required)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**args))
    return True


async def _settle(pilot: Pilot, app: BriefkitApp) -> None:
    """Wait until every worker (library, index, search, render, export) has finished."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def _ready(pilot: Pilot, app: BriefkitApp) -> None:
    """Wait for the library, the index and the first render."""
    for _ in range(200):
        await _settle(pilot, app)
        if app.library is not None and app.index_ready and app.rendered:
            return
    raise AssertionError("the app never became ready")


@pytest.fixture
def settle() -> Waiter:
    return _settle


@pytest.fixture
def ready() -> Waiter:
    return _ready
