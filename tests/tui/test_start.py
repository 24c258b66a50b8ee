"""`tui.start`, as `briefkit open` uses it: the cycle collector is off only while the app starts,
and what the first screen does not draw loads after it."""

from __future__ import annotations

import gc
import inspect
import select
from collections.abc import Iterator
from pathlib import Path

import pytest
from driving import ready

from briefkit.brief.store import load_brief
from briefkit.errors import BriefkitError
from briefkit.tui import start
from briefkit.tui.app import BriefkitApp
from briefkit.tui.draft import Draft


@pytest.fixture
def collector() -> Iterator[None]:
    """Leave the collector as the test session had it, whatever a test did to it."""
    assert gc.isenabled()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


async def test_the_collector_is_off_until_the_first_screen_then_on_with_start_up_frozen(
    sample_brief: Path, collector: None
) -> None:
    app = start(sample_brief)
    assert not gc.isenabled()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 10_000  # Textual's widgets and styles, the brief, the library


def test_a_brief_that_cannot_be_read_leaves_the_collector_on(tmp_path: Path, collector: None) -> None:
    bad = tmp_path / "bad.brief.yaml"
    bad.write_text("briefkit: 1\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(BriefkitError):
        start(bad)
    assert gc.isenabled()


def test_an_app_that_never_showed_a_screen_gives_the_collector_back(sample_brief: Path, collector: None) -> None:
    app = start(sample_brief)
    app.resume_gc()  # as run() does when the app ends before its first screen
    assert gc.isenabled()
    app.resume_gc()  # once only: a collector someone else turned off stays off
    gc.disable()
    app.resume_gc()
    assert not gc.isenabled()


async def test_the_templates_and_the_index_load_once_the_sources_are_on_screen(sample_brief: Path) -> None:
    """Jinja2's imports, in the library worker, took the interpreter's lock from the first frame."""
    ready_when_loaded: list[float | None] = []

    class Watched(BriefkitApp):
        CSS_PATH = str(Path(inspect.getfile(BriefkitApp)).with_name("app.tcss"))  # (else next to this file)

        def _index_and_templates_ready(self, *args: object) -> None:
            ready_when_loaded.append(self.ready_at)
            super()._index_and_templates_ready(*args)  # type: ignore[arg-type]

    app = Watched(Draft(load_brief(sample_brief)))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, app)
        assert ready_when_loaded and ready_when_loaded[0] is not None
        assert app.templates is not None and app.index is not None


def _large_brief(sample_brief: Path, folder: Path) -> Path:
    """The sample brief with a summary long enough to be read in the preload process."""
    from briefkit.brief.store import save_brief
    from briefkit.tui.preload import PRELOAD_BYTES

    brief = load_brief(sample_brief)
    brief.sections["summary"] = "\n\n".join(f"Paragraph {n} of a long summary, said at length." for n in
                                            range(PRELOAD_BYTES // 40))
    target = folder / "large.brief.yaml"
    save_brief(brief, target)
    assert target.stat().st_size >= PRELOAD_BYTES
    return target


def test_a_large_brief_is_read_in_another_process_as_it_is_read_here(
    sample_brief: Path, tmp_path: Path, collector: None
) -> None:
    from briefkit.tui.preload import BriefPreload

    large = _large_brief(sample_brief, tmp_path).resolve()
    preload = BriefPreload(large)
    assert preload.started
    process = preload._process
    assert process is not None and process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 30)
    assert ready  # the process read the brief and is sending it
    brief = preload.brief()
    assert process.returncode == 0 and process.stdout.closed  # taken from it, to its end
    direct = load_brief(large)
    assert brief.source_text == direct.source_text and brief.path == direct.path
    assert brief.sections == direct.sections and brief.positions == direct.positions
    assert brief.key_lines == direct.key_lines and brief.section_lines == direct.section_lines
    app = start(large)
    app.resume_gc()
    assert app.brief.sections == direct.sections
    assert not BriefPreload(sample_brief).started  # a small one is read at once, here


def test_a_large_brief_changed_or_broken_after_the_process_read_it_is_read_again_here(
    sample_brief: Path, tmp_path: Path, collector: None
) -> None:
    from briefkit.tui.preload import BriefPreload

    large = _large_brief(sample_brief, tmp_path).resolve()
    preload = BriefPreload(large)
    assert preload._process is not None and preload._process.stdout is not None
    ready, _, _ = select.select([preload._process.stdout], [], [], 30)  # it has read the file: it is sending it
    assert ready
    text = large.read_text(encoding="utf-8")
    large.write_text(text.replace("Paragraph 7 of", "Paragraph seven of"), encoding="utf-8")
    assert "Paragraph seven of" in preload.brief().sections["summary"]

    broken = tmp_path / "broken.brief.yaml"
    broken.write_text(text.replace("briefkit: 1", "briefkit: 9"), encoding="utf-8")
    with pytest.raises(BriefkitError) as direct:
        load_brief(broken)
    with pytest.raises(BriefkitError) as preloaded:
        BriefPreload(broken).brief()
    assert str(preloaded.value) == str(direct.value)
