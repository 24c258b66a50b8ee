"""The terminal UI (the only package that imports Textual). Entry points for the CLI."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir

from briefkit import resources

if TYPE_CHECKING:
    from briefkit.tui.app import BriefkitApp

SAMPLE_FOLDER = "sample"


def sample_working_copy(data_dir: Path | None = None) -> Path:
    """A copy of the shipped sample brief in the user's data folder, with `library:` pointing at
    the shipped seeds, so the analyst can edit it and the shipped file never changes.

    An existing working copy is kept (it holds the analyst's work); only its `library:` is
    pointed again at the seeds, which move when briefkit is reinstalled elsewhere.
    """
    from briefkit.brief.store import load_brief, save_brief

    seeds = resources.shipped("seeds")
    folder = Path(data_dir or user_data_dir("briefkit", appauthor=False)) / SAMPLE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / resources.sample_brief().name
    if not target.exists():
        shutil.copyfile(resources.sample_brief(), target)
    brief = load_brief(target)
    if brief.library_dir() != seeds.resolve():
        brief.library = str(seeds.resolve())
        save_brief(brief)
    return target


def start(brief_path: Path | str) -> BriefkitApp:
    """Import Textual and the app and build it for a brief, with Python's cycle collector off
    until the first screen is painted (`BriefkitApp.resume_gc` turns it back on). Start-up makes
    about 100,000 objects and next to no garbage cycles; collecting among them cost a tenth of
    the start-up.

    Raises:
        BriefkitError: the brief cannot be read or is invalid.
    """
    gc.disable()
    try:
        from briefkit.library.interface import is_library_url
        from briefkit.tui.preload import BriefPreload

        # A large brief file is read in another process while Textual is imported here.
        preload = None if is_library_url(str(brief_path)) else BriefPreload(Path(brief_path).resolve())
        from briefkit.tui.app import make_app

        app = make_app(brief_path, preload)
    except BaseException:
        gc.enable()
        raise
    app.gc_paused = True
    return app


def run(brief_path: Path | str) -> int:
    """Run the TUI on a brief file, or a team brief by its URL; returns the exit status.

    Raises:
        BriefkitError: the brief cannot be read or is invalid (the CLI prints it).
    """
    app = start(brief_path)
    try:
        result = app.run()
    finally:
        app.resume_gc()  # if it ended before its first screen
        app.draft.close()  # a team brief's listening connection
    return result if isinstance(result, int) else 0
