"""The briefkit app: one screen of panes over a Draft, with the core doing all real work in workers.

Layout: sources and positions on the left, the reader in the middle, and tabs (prose, preview,
problems, suggestions) on the right. Below WIDE columns the reader and the tabs share the space
and the last one asked for is shown.

Startup is kept short by importing only what the first screen draws: the library, the templates
(Jinja2) and the dialogs load in workers or on first use. The check and render behind the
preview, problems and lengths run in a process of their own (render_job.py), so that the keys
never share the interpreter with them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.content import Content
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, TextArea
from textual.worker import get_current_worker

from briefkit.brief.model import STANCES, Anchor, Brief
from briefkit.brief.revisions import SaveResult, revision
from briefkit.brief.store import load_brief
from briefkit.errors import BriefkitError
from briefkit.locks import LockTimeout
from briefkit.tui.collector import CHECK_EVERY, IdleCollector
from briefkit.tui.commands import BriefkitCommands
from briefkit.tui.draft import Draft, SaveJob, copy_positions, file_stamp, snapshot_of
from briefkit.tui.keys import KeyGate
from briefkit.tui.render_job import RenderProcess
from briefkit.tui.widgets.keybar import KeyBar
from briefkit.tui.widgets.outline import Outline
from briefkit.tui.widgets.preview import Preview
from briefkit.tui.widgets.problems import ProblemsList
from briefkit.tui.widgets.prose import ProseEditor
from briefkit.tui.widgets.reader import Reader, Reading, prepare
from briefkit.tui.widgets.rowlist import RowList
from briefkit.tui.widgets.review import ReviewList
from briefkit.tui.widgets.side import SidePanel
from briefkit.tui.widgets.sources import SEARCH_LIMIT, SourcesPane
from briefkit.tui.widgets.suggestions import SuggestionsList

if TYPE_CHECKING:
    from briefkit.brief.check import CheckReport, Finding
    from briefkit.brief.merge import Merge
    from briefkit.library.index import Hit, Index
    from briefkit.library.library import Library
    from briefkit.render.templates import Templates
    from briefkit.tui.preload import BriefPreload
    from briefkit.tui.preview_blocks import Blocks
    from briefkit.tui.screens.add_sources import AddRequest
    from briefkit.tui.screens.cite import CiteChoice
    from briefkit.tui.screens.export import ExportRequest
    from briefkit.tui.screens.position import PositionFields
    from briefkit.tui.screens.quit import QuitChoice
    from briefkit.tui.screens.source_metadata import SourceFields
    from briefkit.workflows.source_updates import Reanchored, SourcesAdded
    from briefkit.workflows.team_sources import SourceWatch

WIDE = 110  # columns from which reader and tabs sit side by side
AUTOSAVE_DELAY = 2.0  # seconds after the last change
AUTOSAVE_MAX = 10.0  # never hold unsaved changes longer than this while the analyst keeps typing
POLL_INTERVAL = 1.5  # seconds between looks at the brief's file for changes made elsewhere
SAVE_WAIT = 2.0  # seconds a save waits for another briefkit's lock before trying again later
FIRST_FRAME_WAIT = 1.0  # seconds at most the index and templates wait for the first screen
RENDER_DELAY = 0.4  # quiet time after a change before the preview is rendered again
SIDE_FOCUS = {"prose": "#prose-text", "preview": "#preview-scroll", "problems": "#problems-list",
              "suggest": "#suggestions", "review": "#review-list"}


class MainScreen(Screen[None]):
    """Textual repaints the whole screen whenever the focus moves (a screen's `focused` is a
    repainting reactive): at 120x40 a Tab, `/` or Enter into the reader cost 120-210 ms of CPU
    with it, 45-60 without. The widgets whose look depends on the focus are restyled and repaint
    themselves anyway."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)


class BriefkitApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "briefkit"
    COMMANDS = App.COMMANDS | {BriefkitCommands}
    BINDINGS = [
        # Function keys are priority: they are never text, and the prose editor binds F6 itself.
        Binding("f1", "help", "Help", priority=True),
        Binding("slash", "focus_search", "Search"),  # not where `/` is typed: see check_action
        Binding("f2", "show_reader", "Reader", show=False, priority=True),
        Binding("f3", "show_side('prose')", "Prose", show=False, priority=True),
        Binding("f4", "show_side('preview')", "Preview", show=False, priority=True),
        Binding("f5", "show_side('problems')", "Problems", show=False, priority=True),
        Binding("f6", "suggest", "Suggest", show=False, priority=True),
        Binding("f7", "edit_details", "Details", show=False, priority=True),
        Binding("f8", "show_side('review')", "Review", show=False, priority=True),
        Binding("ctrl+e", "export", "Export", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft
        self.library: Library | None = None
        self._opening = _open_in_background(draft.brief)
        self.index: Index | None = None
        self.templates: Templates | None = None
        self.template_options: list[tuple[str, str]] = []  # (label, name), once the library worker ran
        self.expected_sections: tuple[str, ...] = ()
        self.report: CheckReport | None = None
        self.ready_at: float | None = None  # perf_counter when the sources are listed on screen
        self.gc_paused = False  # tui.start turned the cycle collector off for start-up
        self.collector = IdleCollector()  # full collections wait for the analyst to pause
        self.index_ready = False
        self.library_error: str | None = None  # why the library could not be opened
        self._reread: set[str] = set()  # sources to show again in the reader once the library reloads
        self._first_frame = threading.Event()  # the sources are on screen (or the app has ended)
        self._indexed = threading.Event()  # index_ready, for worker threads to wait on
        self._index_turn = threading.Lock()  # one index build at a time (a reload may start another)
        self.rendered = False  # the preview and problems have been computed once
        self._rendering = threading.Lock()  # held by the one render that runs
        self._render_again = False  # the brief changed during that render: render once more after it
        self._render_timer: Timer | None = None  # the render waiting for typing to pause
        self._render_process = RenderProcess()
        self._library_generation = 0  # counts the library's openings: the render process opens it again
        self.last_export: Path | None = None
        self._autosave: Timer | None = None
        self._dirty_since: float | None = None
        self._save_job: SaveJob | None = None  # the save running in a worker thread
        self._save_queued: tuple[dict[str, str] | None, bool, list[Callable[[], object]]] | None = None
        self._after_save: list[Callable[[], object]] = []  # to run once the running save ends
        self._side_shown = False  # in a narrow layout: the tabs, rather than the reader, are shown
        self._keys = KeyGate(self, lambda event: App.on_event(self, event))
        # Timings, as attributes so tests can shorten them.
        self.autosave_delay = AUTOSAVE_DELAY
        self.render_delay = RENDER_DELAY
        self.poll_interval = POLL_INTERVAL
        self._resolving = False  # a conflict dialog is open: no save or reload until it closes
        self._unreadable = ""  # the last error reading the changed file, reported once
        self._deferred = ""  # revision of the file whose conflicts the analyst chose to settle later
        self._library_seen: tuple[int, int, int] | None = None  # sources.yaml's stamp when last opened
        self._source_watch: SourceWatch | None = None  # a team library's: others' source changes

    @property
    def brief(self) -> Brief:
        return self.draft.brief

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collector.activity()
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._keys.receive(event)
        else:
            await super().on_event(event)

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(id="_default")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Save and export are the app's only inside its main screen: a dialog's own ctrl+s wins.
        The function keys too (a dialog is closed first). `/` searches only where it cannot be
        typed: a text field types it, so the footer leaves it out there."""
        if action in ("save", "export", "help", "show_reader", "show_side", "suggest", "edit_details"):
            return len(self.screen_stack) == 1
        if action == "focus_search":
            return not isinstance(self.focused, (Input, TextArea))
        return True

    # Layout ---------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Kept, not queried: the side panel mounts it after the first screen (`mount_pages`),
        # and the templates may reach it before.
        self.preview = Preview(self.brief.template, id="preview-pane")
        yield Header(icon="§")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield SourcesPane(id="sources")
                yield Outline(id="outline")
            yield Reader(id="reader")
            yield SidePanel([
                ("prose", "Prose", ProseEditor(id="prose-editor")),
                ("preview", "Preview", self.preview),
                ("problems", "Problems", ProblemsList(id="problems-list")),
                ("suggest", "Suggest", SuggestionsList(id="suggestions")),
                ("review", "", ReviewList(id="review-list")),  # its tab shows once there are entries
            ], id="side")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#sources").border_title = "Sources"
        self.query_one("#outline").border_title = "Positions"
        self._update_title()
        self._refresh_outline()
        self._refresh_prose_sections()
        self._layout()
        self.query_one("#search").focus()
        opening = self._opening
        if opening.done() and opening.exception() is None:
            self._library_ready(opening.result())  # in the first frame, as it usually is by now
        self._load_library(opening)
        self.call_after_refresh(self.resume_gc)
        self.set_interval(self.poll_interval, self._poll_disk)
        self.set_interval(CHECK_EVERY, self.collector.check, name="idle-collector")

    def on_unmount(self) -> None:
        self.collector.release()
        self._first_frame.set()  # a library worker waiting for the first screen goes on, to its end
        self._render_process.close()
        if self._source_watch is not None:
            self._source_watch.close()

    def resume_gc(self) -> None:
        """After the first screen, turn the cycle collector back on if `tui.start` turned it off.
        What start-up made lives as long as the app (widgets, styles, the brief, the library), so
        it is frozen: later collections skip it, rather than spend 50 ms going over it while the
        analyst types. While the app runs, what it makes later is collected in full only when
        the analyst pauses (`collector.py`)."""
        if self.gc_paused:
            self.gc_paused = False
            gc.freeze()
            if self.is_running:
                self.collector.hold()
            gc.enable()

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)  # the app's own size changes after this handler

    def _layout(self, width: int | None = None) -> None:
        """Show reader and tabs side by side when wide, else the one last asked for.

        `display` is set on the two panes rather than a class on their container, since a class
        change restyles every widget below it (the whole screen, here)."""
        narrow = (self.size.width if width is None else width) < WIDE
        self.query_one("#left").set_class(narrow, "-narrow")
        self.query_one(Reader).display = not narrow or not self._side_shown
        self.query_one("#side").display = not narrow or self._side_shown

    def _show_reader_pane(self) -> None:
        if self._side_shown:
            self._side_shown = False
            self._layout()

    def _show_side_pane(self, tab: str) -> None:
        side = self.query_one(SidePanel)
        if side.active == tab == "preview":  # no TabActivated, but the panel may come into view now
            self.call_after_refresh(self.preview.flush)
        side.show(tab)
        if not self._side_shown:
            self._side_shown = True
            self._layout()

    # Library and index ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="library")
    def _load_library(self, opening: Future[Library] | None = None) -> None:
        """Open the library (or take the one `opening` holds), then the index and the templates.

        A reload starts another of these while this one may still run (a thread worker is only
        marked cancelled): a cancelled one reports nothing more, and index builds take turns."""
        from briefkit.brief.check import library_for

        worker = get_current_worker()
        try:
            library = library_for(self.brief) if opening is None else opening.result()
        except BriefkitError as exc:
            if not worker.is_cancelled:
                self._indexed.set()  # nothing to build: a worker waiting on the index goes on (after a reload)
                self.call_from_thread(self._library_failed, str(exc))
            return
        if worker.is_cancelled:
            return
        if library is not self.library:  # on_mount showed it if it was open in time
            self.call_from_thread(self._library_ready, library)
        # Once the sources are on screen, the index, Jinja2 and the templates load: before, their
        # 50 ms of imports took the interpreter's lock from the first frame's layout.
        self._first_frame.wait(FIRST_FRAME_WAIT)
        if worker.is_cancelled or not self.is_running:
            return
        from briefkit.render.templates import Templates

        index = library.index()
        templates = Templates(self.draft.path.parent)
        try:
            options = [(f"{t.title} ({t.name})", t.name) for t in templates.list()]
            expected = templates.get(self.brief.template).sections
        except BriefkitError as exc:
            options, expected = [], ()
            self.call_from_thread(self.notify, str(exc), title="Templates", severity="error")
        if worker.is_cancelled:
            return
        self.call_from_thread(self._index_and_templates_ready, index, templates, options, expected)
        try:
            with self._index_turn:
                if worker.is_cancelled:
                    return
                index.update()
        except BriefkitError as exc:
            self.call_from_thread(self.notify, f"search index: {exc}", severity="error")
            return
        finally:
            if not worker.is_cancelled:
                self._indexed.set()  # searches waiting for the index run now (and report any error)
        if not worker.is_cancelled:
            self.call_from_thread(self._index_done)

    def _index_done(self) -> None:
        self.index_ready = True
        self.query_one(SourcesPane).indexing = False

    def _library_failed(self, message: str) -> None:
        self.library_error = message
        reader = self.query_one(Reader)
        reader.placeholder = f"Cannot open the library: {message}"
        reader.refresh()
        self.notify(message, title="Library", severity="error", timeout=10)

    def _library_ready(self, library: Library) -> None:
        self.library, self.library_error = library, None
        self._library_generation += 1
        sources_file = getattr(library, "sources_file", None)  # a team library has no file to watch
        self._library_seen = file_stamp(sources_file) if sources_file is not None else None
        if sources_file is None and self._source_watch is None:  # hear others' source changes
            from briefkit.workflows.team_sources import SourceWatch

            self._source_watch = SourceWatch(library.location)
        sources = self.query_one(SourcesPane)
        sources.searcher = self._search
        sources.hold_keys = self._keys.hold
        sources.indexing = not self.index_ready
        sources.show_sources(library.entries, self._citation_counts())
        reader = self.query_one(Reader)
        if reader.source is not None and reader.source.id in self._reread:
            self._read_source(reader.source.id, reader.text_width,
                              lambda reading: self._show_source(reading, None, None))
        self._reread.clear()
        self.call_after_refresh(self._mark_ready)

    def _mark_ready(self) -> None:
        self.ready_at = time.perf_counter()  # the sources are listed on screen
        self.query_one(SidePanel).mount_pages()  # before the templates and renders that fill them
        self._first_frame.set()

    def _index_and_templates_ready(self, index: Index, templates: Templates,
                                   options: list[tuple[str, str]],
                                   expected: tuple[str, ...]) -> None:
        self.index = index
        self.templates, self.template_options, self.expected_sections = templates, options, expected
        self.query_one(SidePanel).mount_pages()  # (done already, unless the first screen was slow)
        self.preview.set_templates(options)
        self._refresh_prose_sections()
        self._schedule_render()

    def _search(self, query: str) -> list[Hit]:
        """Runs in the search worker's thread; the index opens a connection per call. While the
        library worker builds the index, a search waits for it rather than race it for the lock."""
        self._indexed.wait()  # set once the index is attached and built
        assert self.index is not None
        return self.index.search(query, limit=SEARCH_LIMIT)

    def _citation_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, cite in self.brief.citations():
            counts[cite.source] = counts.get(cite.source, 0) + 1
        return counts

    def _reload_library(self, changed: set[str]) -> None:
        """Open the library again after its files changed, and index what changed; searches
        wait for the index meanwhile. `changed` sources showing in the reader are read again,
        or a citation would anchor to their old text."""
        self._reread |= changed
        self.index_ready = False
        self._indexed.clear()
        self._load_library()

    # Adding sources and editing their metadata ----------------------------------------------------

    def action_add_sources(self) -> None:
        from briefkit.tui.screens.add_sources import AddSourcesScreen

        if self.library is None and self.library_error is None:
            self.notify("The library is still loading.", severity="warning")
            return
        if self.library is not None and not hasattr(self.library, "sources_file"):
            self.notify("Sources are added to a team library from the command line: briefkit "
                        f"sources add FILE --library {self.library.location}", severity="warning")
            return
        root = self.brief.library_dir()

        def chosen(request: AddRequest | None) -> None:
            if request is None:
                return

            def add() -> None:
                count = len(request.paths)
                self.notify(f"Adding {count} path{'s' * (count != 1)} to the library…")
                self._add_sources(root, request.paths, request.source_id)

            if self.draft.modified:  # the core re-anchors the brief file: it must hold the analyst's work first
                self._save(then=add)
            else:
                add()

        self.push_screen(AddSourcesScreen(self.draft.path.parent, root), chosen)

    @work(thread=True, exclusive=True, group="add-sources")
    def _add_sources(self, root: Path, paths: list[Path], source_id: str | None) -> None:
        from briefkit.workflows.source_updates import add_sources

        pane = self.query_one(SourcesPane)

        def progress(line: str) -> None:
            self.call_from_thread(setattr, pane, "border_subtitle", line)

        if self.library is not None:
            self._indexed.wait()  # the first index build holds the database: let it finish
        try:
            report = add_sources(root, paths, source_id=source_id, briefs=[self.draft.path],
                                 progress=progress)
            anchors = self._moved_anchors(report)
        except Exception as exc:  # BriefkitError says why; anything else is a bug, but never a crash
            message = str(exc) if isinstance(exc, BriefkitError) else f"internal error: {type(exc).__name__}: {exc}"
            self.call_from_thread(self.notify, message, title="Sources not added", severity="error", timeout=15)
            return
        finally:
            self.call_from_thread(setattr, pane, "border_subtitle", "")
        self.call_from_thread(self._sources_added, report, anchors)

    def _moved_anchors(self, report: SourcesAdded) -> dict[str, Anchor]:
        """The new anchors of this brief's citations that the core moved and saved to its file."""
        mine = self.draft.path.resolve()
        moved = {r.citation for r in report.reanchored if r.status == "moved" and r.brief == mine}
        if not moved:
            return {}
        return {c.id: c.anchor for _, c in load_brief(mine).citations() if c.id in moved}

    def _sources_added(self, report: SourcesAdded, anchors: dict[str, Anchor]) -> None:
        from briefkit.tui.screens.add_sources import add_summary

        if self.draft.take_anchors(anchors):
            self._changed()
            self._save()  # the file has these anchors already, unless it was saved again meanwhile
        message, severity = add_summary(report)
        self.notify(message, title="Sources", severity=severity, timeout=10 if severity == "information" else 20)
        changed = {a.source_id for a in report.added.files if a.action in ("added", "updated")}
        if changed or report.added.created:
            self._reload_library(changed)

    def action_edit_source(self) -> None:
        from briefkit.tui.screens.source_metadata import SourceFields, SourceMetadataScreen

        library = self.library
        reader = self.query_one(Reader)
        source_id = self.query_one(SourcesPane).highlighted_source() or (reader.source.id if reader.source else None)
        if library is None or source_id not in library.entries:
            self.notify("Highlight a source in the Sources list first.", severity="warning")
            return
        before = SourceFields.of(library.entries[source_id])

        def done(fields: SourceFields | None) -> None:
            if fields is not None and fields != before:
                self._edit_source(library, source_id, before, fields)

        self.push_screen(SourceMetadataScreen(source_id, before), done)

    @work(thread=True, exclusive=True, group="edit-source")
    def _edit_source(self, library: Library, source_id: str, before: SourceFields, after: SourceFields) -> None:
        """Pass only the fields the analyst changed, so an untouched one is never rewritten."""
        from briefkit.library.metadata import edit_source

        def typed(name: str) -> str | None:
            value: str = getattr(after, name)
            return value if value != getattr(before, name) else None

        authors = typed("authors")
        try:
            changed = edit_source(library, source_id, title=typed("title"), date=typed("date"),
                                  url=typed("url"), kind=typed("kind"),
                                  authors=None if authors is None else authors.split(";"))
        except Exception as exc:  # BriefkitError says why; anything else is a bug, but never a crash
            message = str(exc) if isinstance(exc, BriefkitError) else f"internal error: {type(exc).__name__}: {exc}"
            self.call_from_thread(self.notify, message, title="Source not changed", severity="error", timeout=15)
            return
        self.call_from_thread(self._source_edited, source_id, changed)

    def _source_edited(self, source_id: str, changed: list[str]) -> None:
        if not changed:
            self.notify(f"Source {source_id} unchanged.")
            return
        self.notify(f"Source {source_id}: changed {', '.join(changed)}.")
        self._reload_library({source_id})

    # Opening sources ------------------------------------------------------------------------------

    @on(SourcesPane.OpenRequested)
    def _open_requested(self, event: SourcesPane.OpenRequested) -> None:
        self.open_source(event.source_id, hit=event.hit, release_keys=event.release_keys, query=event.query)

    def open_source(self, source_id: str, start: int | None = None, end: int | None = None,
                    hit: Hit | None = None, release_keys: Callable[[], None] | None = None,
                    query: str = "") -> None:
        """Show a source in the reader: at `start` (selecting up to `end`), or at a search hit:
        on the sentence that best matches `query`, else at its first match. The reader takes the focus at once, and keys typed until the source shows
        wait for it (the `c` typed after Enter cites from this source, not the last one)."""
        self._show_reader_pane()
        reader = self.query_one(Reader)
        reader.focus()
        release = release_keys or self._keys.hold()

        def show(reading: Reading) -> None:
            offset = start
            if hit is not None:
                from briefkit.tui.widgets.hits import best_sentence_offset, match_offset

                text = reading.source.text
                offset = best_sentence_offset(hit, query, text) if query else match_offset(hit, text)
            self._show_source(reading, offset, end)

        self._read_source(source_id, reader.text_width, show, release)

    @work(thread=True, exclusive=True, group="source")
    def _read_source(self, source_id: str, width: int, then: Callable[[Reading], None],
                     finally_: Callable[[], None] = lambda: None) -> None:
        """Read (decode, clean, segment) and lay out a source off the event loop, then act on it."""
        try:
            if self.library is None:
                self.call_from_thread(self.notify, "The library is still loading.", severity="warning")
                return
            try:
                reading = prepare(self.library.source(source_id), width)
            except BriefkitError as exc:
                self.call_from_thread(self.notify, str(exc), severity="error")
                return
            if not get_current_worker().is_cancelled:
                self.call_from_thread(then, reading)
        finally:
            if self.is_running:
                self.call_from_thread(finally_)

    def _show_source(self, reading: Reading, start: int | None, end: int | None) -> None:
        source = reading.source
        reader = self.query_one(Reader)
        reader.show(reading, start, self._cited_spans(source.id))
        if start is not None and end is not None:
            reader.select_range(start, end)
        self._title_reader()
        meta = " · ".join(x for x in (source.entry.outlet, source.entry.issued) if x)
        reader.border_subtitle = f"{meta} · {len(source.paragraphs)} ¶" if meta else f"{len(source.paragraphs)} ¶"

    def _title_reader(self) -> None:
        """The reader's title: the position `c` cites into, then the source (the position first,
        so a long source title never hides it)."""
        reader = self.query_one(Reader)
        position_id = self._current_position()
        source = reader.source.entry.title if reader.source is not None else "Reader"
        if position_id is None:
            reader.border_title = Content.assemble("c: add a position first (n in Positions) │ ", source)
            return
        number = next(i for i, p in enumerate(self.brief.positions, 1) if p.id == position_id)
        position = f"{number}. {self.brief.positions[number - 1].title}"
        room = max(16, reader.size.width - 20)
        if len(position) > room:
            position = position[: room - 1].rstrip() + "…"
        reader.border_title = Content.assemble("c → ", (position, "bold"), " │ ", source)

    @on(Outline.Moved, "#outline")
    def _outline_moved(self, event: Outline.Moved) -> None:
        # query_one, cached, rather than a walk of the screen on every move; a move still queued
        # when the app closes finds no reader.
        with suppress(NoMatches):
            self._title_reader()

    def _cited_spans(self, source_id: str) -> list[tuple[int, int]]:
        return [(c.anchor.start, c.anchor.end) for _, c in self.brief.citations() if c.source == source_id]

    # Citing ---------------------------------------------------------------------------------------

    def _current_position(self) -> str | None:
        found = self.query_one(Outline).position_of_highlight(self.brief)
        if found is None and self.brief.positions:
            found = self.brief.positions[0].id
        return found

    @on(Reader.CiteRequested)
    def _cite_from_reader(self, event: Reader.CiteRequested) -> None:
        self.cite(event.source.id, event.source.text, event.start, event.end)

    def cite(self, source_id: str, text: str, start: int, end: int) -> None:
        from briefkit.tui.screens.cite import CiteScreen

        position_id = self._current_position()
        if position_id is None:
            self.notify("Add a position first: press n in Positions.", severity="warning")
            return
        position = self.brief.position(position_id)
        assert position is not None

        def done(choice: CiteChoice | None) -> None:
            if choice is None:
                return
            try:
                citation = self.draft.cite(position_id, source_id, text, start, end, choice.stance, choice.note)
            except BriefkitError as exc:
                self.notify(str(exc), severity="error")
                return
            self._changed()
            self.query_one(Outline).select_id(f"c:{citation.id}")
            reader = self.query_one(Reader)
            if reader.source is not None and reader.source.id == source_id:
                reader.action_clear_selection()
            self.notify(f"Cited into “{position.title}” as {citation.id}.")

        def ask() -> None:
            self.push_screen(CiteScreen("Cite passage", text[start:end], position.title), done)

        overlapping = [c for c in position.citations
                       if c.source == source_id and c.anchor.start < end and start < c.anchor.end]
        if not overlapping:
            ask()
            return
        from briefkit.tui.screens.confirm import ConfirmScreen

        first = overlapping[0]
        same = (first.anchor.start, first.anchor.end) == (start, end)
        quote = " ".join(first.anchor.quote.split())
        message = (f"“{position.title}” already cites {'this passage' if same else 'an overlapping passage'} "
                   f"as {first.id}: “{quote[:200]}{'…' if len(quote) > 200 else ''}”"
                   + (f" (and {len(overlapping) - 1} more)" if len(overlapping) > 1 else "")
                   + ". Citing it again counts it twice in the evidence.")
        self.push_screen(ConfirmScreen("Already cited in this position", message, "Cite again"),
                         lambda yes: ask() if yes else None)

    @on(SuggestionsList.OpenRequested)
    def _open_suggestion(self, event: SuggestionsList.OpenRequested) -> None:
        self.open_source(event.hit.source_id, hit=event.hit)

    @on(SuggestionsList.CiteRequested)
    def _cite_suggestion(self, event: SuggestionsList.CiteRequested) -> None:
        hit = event.hit
        self._read_source(hit.source_id, self.query_one(Reader).text_width,
                          lambda reading: self.cite(hit.source_id, reading.source.text, hit.start, hit.end))

    # Changes, saving, autosave --------------------------------------------------------------------

    def _changed(self, outline: bool = True, keep: str | None = None) -> None:
        """After every edit: redraw what shows the brief, mark it modified, schedule saving."""
        if outline:
            self._refresh_outline(keep)
            self.query_one(SourcesPane).set_counts(self._citation_counts())
            reader = self.query_one(Reader)
            if reader.source is not None:
                reader.set_cited(self._cited_spans(reader.source.id))
        self._update_title()
        now = time.monotonic()
        if self._dirty_since is None:
            self._dirty_since = now
        if self._autosave is not None:
            self._autosave.stop()
        delay = self.autosave_delay if now - self._dirty_since < AUTOSAVE_MAX else 0.01
        self._autosave = self.set_timer(delay, self._save_quietly)
        self._schedule_render()

    def _update_title(self) -> None:
        self.title = self.brief.title or "briefkit"  # F7 changes it
        name = self.draft.path.name
        self.sub_title = f"● modified · {name}" if self.draft.modified else name  # the marker first: long titles cut the end

    def _take_typing(self) -> None:
        """Bring what the prose editor holds into the draft, posted as a change yet or not."""
        # The main screen's, under any dialog; none once the app is closing (a poll may still run).
        editors = list(self.screen_stack[0].query(ProseEditor)) if self.screen_stack else []
        current = editors[0].current() if editors else None
        if current is not None and self.draft.set_section(*current):
            self._changed(outline=False)

    def _save_quietly(self) -> None:
        self._take_typing()
        if self.draft.modified:
            self._save(ask=False)

    def _save(self, choices: dict[str, str] | None = None, ask: bool = True,
              then: Callable[[], object] | None = None) -> None:
        """Save, merging what another briefkit (or editor) saved meanwhile; a conflict opens the
        dialog (unless not `ask`ed and already put off) and nothing is written until it is settled.
        A file is written in a worker thread (a 5,000-citation brief takes a second and more), one
        save at a time: asked for while one runs, the save runs after it, with the edits made
        meanwhile. `then` runs once this save has written the file."""
        self._take_typing()
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        thens = [then] if then is not None else []
        if self._save_job is not None:
            queued_choices, queued_ask, queued = self._save_queued or (None, False, [])
            self._save_queued = (choices or queued_choices, ask or queued_ask, queued + thens)
            return
        self._start_save(choices, ask, thens)

    def _start_save(self, choices: dict[str, str] | None, ask: bool, thens: list[Callable[[], object]]) -> None:
        if self._resolving:
            return
        self._save_job = self.draft.begin_save()
        self._store(self._save_job, choices, ask, thens)

    @work(group="save")
    async def _store(self, job: SaveJob, choices: dict[str, str] | None, ask: bool,
                     thens: list[Callable[[], object]]) -> None:
        """Write the job's copy in a thread, so keys are handled meanwhile; its result is taken
        back here on the loop, and the save asked for meanwhile started."""
        conflicts = None
        try:
            try:
                result = await asyncio.to_thread(self.draft.store, job, choices, SAVE_WAIT)
            except BriefkitError as exc:
                self._not_saved(exc)
            else:
                conflicts = self.draft.finish_save(job, result)
                self._saved(result, ask, thens)
        finally:
            self._save_job = None
            after, self._after_save = self._after_save, []
            for action in after:
                action()
            if conflicts is not None:
                self._poll_disk()  # the edits made during the save and what it merged conflict
            queued, self._save_queued = self._save_queued, None
            if queued is not None and self.is_running:
                self._start_save(*queued)

    def _not_saved(self, exc: BriefkitError) -> None:
        if isinstance(exc, LockTimeout):
            self.notify("Another briefkit is changing this brief; saving again in a moment.",
                        title="Not saved yet", severity="warning")
            self._autosave = self.set_timer(self.autosave_delay, self._save_quietly)
        else:
            self.notify(str(exc), title="Not saved", severity="error", timeout=15)

    def _saved(self, result: SaveResult, ask: bool, thens: list[Callable[[], object]]) -> None:
        """Show a save's result (the draft has taken it); a save's conflicts open the dialog."""
        if not result.saved:
            assert result.merge is not None
            self._settle(result.merge, lambda chosen: self._save(chosen, then=self._say_saved), ask)
            return
        if not self.draft.modified:
            self._dirty_since = None
        if result.merge is not None:
            self._merged_in(result.merge, "Saved")
        if result.recreated:
            self.notify(f"{self.draft.path.name} had been deleted on disk; it is saved again.",
                        severity="warning", timeout=10)
        self._update_title()
        for action in thens:
            action()

    def _when_saved(self, action: Callable[[], object]) -> None:
        """Run `action` once no save runs (at once if none does)."""
        if self._save_job is None:
            action()
        else:
            self._after_save.append(action)

    def _say_saved(self) -> bool:
        self.notify(f"Saved {self.draft.path.name}.")
        return True

    def _poll_disk(self) -> None:
        """Notice changes someone else saved to the brief's file (or a team brief's saves its
        draft heard of) and merge them in at once."""
        if self._resolving or len(self.screen_stack) > 1 or self._save_job is not None:
            return  # not under a dialog (the analyst may be about to change what would merge), nor while saving
        self._take_typing()
        self._poll_library()
        try:
            theirs = self.draft.outside_change()
        except BriefkitError as exc:
            if str(exc) != self._unreadable:
                self._unreadable = str(exc)
                self.notify(self.draft.unreadable(exc), title="Outside change", severity="error",
                            timeout=20)
            return
        self._unreadable = ""
        if theirs is None:
            return
        merge = self.draft.take_outside(theirs)
        if merge.unresolved:
            self._settle(merge, lambda chosen: self._merged_in(self.draft.take_outside(theirs, chosen),
                                                                "Reloaded"), ask=False)
        else:
            self._merged_in(merge, "Reloaded")

    def _poll_library(self) -> None:
        """Notice a library changed beside the TUI (`briefkit sources add` replacing a source):
        open it again, so quotes are checked, shown and cited against the texts as they now are."""
        library = self.library
        if library is None or not self.index_ready or any(
                w.group in ("add-sources", "reanchor") and w.is_running for w in self.workers):
            return  # not open yet, a reload under way, or adding sources itself
        if not hasattr(library, "sources_file"):
            self._poll_team_library(library)
            return
        seen = file_stamp(library.sources_file)
        if seen == self._library_seen:
            return
        self._library_seen = seen
        self.notify("The library changed on disk: sources reloaded, quotes checked again.",
                    title="Library")
        self._reload_library(set(library.entries))

    def _poll_team_library(self, library: Library) -> None:
        """Bring in what other analysts added to or changed in the team library (heard on
        `briefkit_sources`): list and search it, show a changed text in the reader, and check
        this brief's quotes of the changed sources as `sources add` checks stored briefs."""
        changes = self._source_watch.take() if self._source_watch is not None else None
        if changes is None:
            return
        changed = set(library.entries) if changes.unknown else set(changes.actions)
        self.notify(f"From the team library: {changes.summary()}; sources reloaded.", title="Library")
        self._reload_library(changed)
        self._reanchor_heard(library, snapshot_of(self.brief), changed)

    @work(thread=True, group="reanchor")
    def _reanchor_heard(self, library: Library, brief: Brief, changed: set[str]) -> None:
        """Verify the quotes of `changed` sources in `brief` (a copy taken on the loop)."""
        from briefkit.workflows.team_sources import reanchor_open_brief

        before = {c.id: c.anchor for _, c in brief.citations()}
        try:
            found = reanchor_open_brief(library, brief, self.draft.path, changed)
        except BriefkitError as exc:
            self.call_from_thread(self.notify, str(exc), title="Quotes not checked", severity="error")
            return
        self.call_from_thread(self._reanchored, found, brief, before)

    def _reanchored(self, found: list[Reanchored], brief: Brief, before: dict[str, Anchor]) -> None:
        """Take the safe moves for citations whose anchor is still the one checked; say the rest."""
        moved = {r.citation for r in found if r.status == "moved"}
        still = {c.id for _, c in self.brief.citations() if c.id in moved and c.anchor is before[c.id]}
        if self.draft.take_anchors({c.id: c.anchor for _, c in brief.citations() if c.id in still}):
            self._changed()
        if not found:
            return
        said = {"moved": "moved (its new place taken)", "needs-review": "needs review", "orphaned": "is orphaned"}
        listed = [f"{r.citation} ({r.source}) {said[r.status]}" for r in found[:4]] + ["…"] * (len(found) > 4)
        review = len(moved) < len(found)
        self.notify(f"Quotes of the changed sources: {'; '.join(listed)}." + " Problems (F5) lists them." * review,
                    title="Re-anchored", severity="warning" if review else "information", timeout=15)

    def _settle(self, merge: Merge, then: Callable[[dict[str, str]], object], ask: bool = True) -> None:
        """Show the conflicts; `then` runs with the analyst's choices (not at all if they wait).
        Put off once, the same file's conflicts come back only when asked for (ctrl+s)."""
        from briefkit.tui.screens.conflicts import ConflictScreen

        theirs = revision(merge.theirs.source_text)
        if not ask and theirs == self._deferred:
            return
        self._resolving = True

        def chosen(choices: dict[str, str] | None) -> None:
            self._resolving = False
            self._deferred = theirs if choices is None else ""
            if choices is None:
                self.draft.set_aside()
                self.notify(f"Not saved: {self.draft.elsewhere} changed too. ctrl+s shows the "
                            "choices again.",
                            severity="warning", timeout=10)
                return
            then(choices)
            if self.draft.modified and self._save_job is None:  # kept versions of the analyst's to save (an autosave was held)
                self._changed(outline=False)

        self.push_screen(ConflictScreen(self.draft.path.name, merge.conflicts, len(merge.taken),
                                       self.draft.origin), chosen)

    def _merged_in(self, merge: Merge, verb: str) -> None:
        """Show what a merge took from the file: the outline, sections and a message."""
        self._refresh_outline()
        self.query_one(SourcesPane).set_counts(self._citation_counts())
        reader = self.query_one(Reader)
        if reader.source is not None:
            reader.set_cited(self._cited_spans(reader.source.id))
        if any(key.startswith("sections.") for key in merge.from_theirs()):
            self._refresh_prose_sections()  # not otherwise: the editor may hold keys not yet posted
        self._update_title()
        self._schedule_render()
        n = len(merge.taken)
        parts = []
        if n:
            listed = ", ".join(merge.taken[:3]) + (", …" if n > 3 else "")
            parts.append(f"merged {n} change{'s' * (n != 1)} from {self.draft.origin}: {listed}")
        for side, what in (("mine", "kept your version of"), ("theirs", "took the file's version of")):
            labels = [c.label for c in merge.conflicts if merge.choices.get(c.key) == side]
            if labels:
                parts.append(f"{what} {', '.join(labels)}")
        parts += [f"your citation {old} is now {new} (the file has its own {old})"
                  for old, new in merge.renamed.items()]
        if not parts:
            return
        self.notify(f"{verb}: {'; '.join(parts)}.", title="Outside change", timeout=10)

    def action_save(self) -> None:
        self._save(then=self._say_saved)

    async def action_quit(self) -> None:
        from briefkit.tui.screens.quit import QuitScreen

        self._take_typing()
        job = self._save_job
        if job is None and not self.draft.modified:
            self.exit(0)
            return
        if job is not None and job.edits == self.draft.edits:  # the save running writes all there is
            self._after_save.append(lambda: None if self.draft.modified else self.exit(0))
            return

        def answered(choice: QuitChoice | None) -> None:
            if choice == "save":
                self._save(then=lambda: self.exit(0))
            elif choice == "discard":
                self._when_saved(lambda: self.exit(0))

        self.push_screen(QuitScreen(), answered)

    def action_undo(self) -> None:
        label = self.draft.undo()
        if label is None:
            self.notify("Nothing to undo.")
            return
        self._changed()
        self._refresh_prose_sections()
        self.notify(f"Undid {label}.")

    # Positions ------------------------------------------------------------------------------------

    def _refresh_outline(self, keep: str | None = None) -> None:
        orphaned = set()
        if self.report is not None:
            orphaned = {cid for cid, v in self.report.verifications.items() if not v.ok}
        self.query_one(Outline).show(self.brief, orphaned, keep)
        self._title_reader()

    def action_new_position(self) -> None:
        from briefkit.tui.screens.position import PositionScreen

        after = self._current_position()

        def done(fields: PositionFields | None) -> None:
            if fields is None:
                return
            position = self.draft.add_position(fields.title, fields.holder, fields.summary, after=after)
            self._changed()
            outline = self.query_one(Outline)
            outline.select_id(f"p:{position.id}")
            outline.focus()
            self.notify(f"Added “{position.title}”: citations now go to it. / searches for evidence.")

        self.push_screen(PositionScreen("New position"), done)

    def action_edit_item(self) -> None:
        from briefkit.tui.screens.cite import CiteScreen
        from briefkit.tui.screens.position import PositionFields, PositionScreen

        kind, key = self.query_one(Outline).current
        if kind == "position":
            position = self.brief.position(key)
            assert position is not None

            def done(fields: PositionFields | None) -> None:
                if fields is not None:
                    self.draft.update_position(key, title=fields.title, holder=fields.holder, summary=fields.summary)
                    self._changed()

            self.push_screen(PositionScreen("Edit position",
                                            PositionFields(position.title, position.holder, position.summary)), done)
        elif kind == "citation":
            found = self.brief.find_citation(key)
            assert found is not None
            position, cite = found

            def edited(choice: CiteChoice | None) -> None:
                if choice is not None:
                    self.draft.update_citation(key, stance=choice.stance, note=choice.note)
                    self._changed()

            self.push_screen(CiteScreen(f"Citation {cite.id}", cite.anchor.quote, position.title,
                                        cite.stance, cite.note, verb="Save"), edited)

    @on(RowList.Selected, "#outline")
    def _outline_enter(self, event: RowList.Selected) -> None:
        event.stop()
        self.action_edit_item()

    def action_delete_item(self) -> None:
        kind, key = self.query_one(Outline).current
        if kind == "position":
            removed = self.draft.delete_position(key)
            self.notify(f"Deleted position “{removed.title}” — ctrl+z to undo.")
        elif kind == "citation":
            self.draft.delete_citation(key)
            self.notify(f"Deleted citation {key} — ctrl+z to undo.")
        else:
            return
        self._changed()

    def action_move_item(self, step: int) -> None:
        kind, key = self.query_one(Outline).current
        moved = (self.draft.move_position(key, step) if kind == "position"
                 else self.draft.move_citation(key, step) if kind == "citation" else False)
        if moved:
            self._changed()

    def action_move_citation(self) -> None:
        from briefkit.tui.screens.picker import PickScreen

        kind, key = self.query_one(Outline).current
        if kind != "citation":
            self.notify("Highlight a citation to move it.", severity="warning")
            return
        items = [(p.id, p.title) for p in self.brief.positions]

        def done(position_id: str | None) -> None:
            if position_id:
                position, _ = self.brief.find_citation(key) or (None, None)
                ids = [c.id for c in position.citations] if position else []
                # The highlight stays in the position the citation left (the next quote still
                # goes there): on the citation that took its place, or the one before.
                after = ids[ids.index(key) + 1:] + ids[: ids.index(key)][::-1] if key in ids else []
                stay = f"c:{after[0]}" if after else f"p:{position.id}" if position else None
                self.draft.move_citation_to(key, position_id)
                self._changed(keep=stay)

        self.push_screen(PickScreen(f"Move {key} to position", items), done)

    def action_cycle_stance(self) -> None:
        kind, key = self.query_one(Outline).current
        found = self.brief.find_citation(key) if kind == "citation" else None
        if found is None:
            return
        cite = found[1]
        stance = STANCES[(STANCES.index(cite.stance) + 1) % len(STANCES)] if cite.stance in STANCES else STANCES[0]
        self.draft.update_citation(key, stance=stance, note=cite.note)
        self._changed()

    def action_goto_citation(self) -> None:
        kind, key = self.query_one(Outline).current
        found = self.brief.find_citation(key) if kind == "citation" else None
        if found is not None:
            cite = found[1]
            self.open_source(cite.source, cite.anchor.start, cite.anchor.end)

    # Prose ----------------------------------------------------------------------------------------

    def _section_names(self) -> list[str]:
        expected = list(self.expected_sections)
        return expected + [name for name in self.brief.sections if name not in expected]

    def _refresh_prose_sections(self) -> None:
        self.query_one(ProseEditor).show(self._section_names(), dict(self.brief.sections))

    @on(ProseEditor.Changed)
    def _prose_changed(self, event: ProseEditor.Changed) -> None:
        if self.draft.set_section(event.section, event.text):
            self._changed(outline=False)

    @on(ProseEditor.PickCitation)
    def action_insert_reference(self) -> None:
        from briefkit.tui.screens.picker import PickScreen

        items = [(c.id, f"{c.id}  “{' '.join(c.anchor.quote.split())}”  ({p.title})")
                 for p, c in self.brief.citations()]
        if not items:
            self.notify("No citations yet: cite a passage from the reader first.", severity="warning")
            return
        self._show_side_pane("prose")
        editor = self.query_one(ProseEditor)

        def done(citation_id: str | None) -> None:
            if citation_id:
                editor.insert_reference(citation_id)

        self.push_screen(PickScreen("Insert a citation reference", items), done)

    # Preview and problems -------------------------------------------------------------------------

    @on(Preview.TemplateChosen)
    def _template_chosen(self, event: Preview.TemplateChosen) -> None:
        if event.name == self.brief.template or self.templates is None:
            return
        self.draft.set_template(event.name)
        self._template_set(event.name)
        self._changed(outline=False)

    def _template_set(self, name: str) -> None:
        """The brief's template changed: show its sections, and it in the preview's chooser."""
        preview = self.preview
        preview.current = name
        preview.set_templates(self.template_options)
        if self.templates is not None:
            try:
                self.expected_sections = self.templates.get(name).sections
            except BriefkitError as exc:
                self.notify(str(exc), severity="error")
        self._refresh_prose_sections()

    def _snapshot(self) -> Brief:
        """A copy for workers to read while the analyst keeps editing the original."""
        return dataclasses.replace(self.brief, positions=copy_positions(self.brief.positions),
                                   sections=dict(self.brief.sections))

    def _schedule_render(self) -> None:
        """Check and render the brief again, once typing pauses; one render at a time.

        The brief is copied for the render when the pause comes, not at every key (a copy of
        5,000 citations takes 10 ms). A thread worker cannot be stopped, only marked cancelled:
        a change during a render waits for it to end, and one render of the brief as it then is
        follows (renders of many seconds used to pile up and take the CPU from the keys)."""
        if self.library is None or self.templates is None:
            return
        if self._render_timer is not None:
            self._render_timer.stop()
        delay = self.render_delay if self.rendered else 0.0
        self._render_timer = self.set_timer(max(delay, 0.001), self._start_render)  # (a timer of 0 divides by it)

    def _start_render(self) -> None:
        self._render_timer = None
        if self.ready_at is None:  # the first screen first: the brief's copy and the process can wait
            self._render_timer = self.set_timer(0.02, self._start_render)
            return
        if self._rendering.locked():
            self._render_again = True
            return
        self._render(self._snapshot(), self.preview.text_width())

    def _render_ended(self) -> None:
        if self._render_again:
            self._render_again = False
            self._schedule_render()

    # Workers given the brief are described: else Textual describes them by repr() of their
    # arguments, a quarter of a second for a brief of 5,000 citations, on the event loop.
    @work(thread=True, exclusive=True, group="render", description="render")
    def _render(self, brief: Brief, width: int | None) -> None:
        if not self._rendering.acquire(blocking=False):  # one began as this one was started
            self._render_again = True
            return
        try:
            self._render_now(brief, width)
        finally:
            self._rendering.release()
            if self.is_running:
                self.call_from_thread(self._render_ended)

    def _render_now(self, brief: Brief, width: int | None) -> None:
        """Check and render in the render process, the preview's blocks made there for `width`
        (its document's width); show each step's result as it comes."""
        try:
            stage = self._render_process.first(brief, self._library_generation, width)
            while not get_current_worker().is_cancelled:
                if stage.prepared is not None:
                    # Blocks reach the event loop with Rich's Markdown loaded (60 ms of imports
                    # the first block drawn would pay), as Preview._prepare's do.
                    import rich.markdown  # noqa: F401
                if stage.length is not None:
                    self.call_from_thread(self.query_one(ProseEditor).set_length, *stage.length)
                self.call_from_thread(self._rendered, stage.report, stage.markdown, stage.error, stage.template,
                                      stage.prepared)
                if not stage.more:
                    return
                stage = self._render_process.second()
        except BriefkitError as exc:
            if self.is_running:
                self.call_from_thread(self.preview.show_error, str(exc))

    def _rendered(self, report: CheckReport, markdown: str | None, error: str, template: str,
                  prepared: tuple[int, str, Blocks] | None = None) -> None:
        """A new check report and, unless `markdown` is None (the same preview, newly measured),
        the preview, with its document's blocks where the render process made them."""
        self.collector.activity()  # a collection now would fall on the frames that show it
        self.rendered = True
        self.report = report
        preview = self.preview
        if error:
            preview.show_error(error)
        elif markdown is not None:
            preview.show(markdown, f"{template} · {len(self.brief.citations())} citations", prepared)
        self.query_one(ProblemsList).show(report.findings)
        self._show_review()
        errors = sum(f.severity == "error" for f in report.findings)
        warnings = len(report.findings) - errors
        counts = " ".join([f"✗{errors}"] * bool(errors) + [f"!{warnings}"] * bool(warnings)) or "✓"
        self.query_one(SidePanel).set_label("problems", f"Problems {counts}", counts)
        self._refresh_outline()

    @on(ProblemsList.JumpRequested)
    def _jump(self, event: ProblemsList.JumpRequested) -> None:
        finding: Finding = event.finding
        outline = self.query_one(Outline)
        if finding.citation:
            outline.select_id(f"c:{finding.citation}")
            found = self.brief.find_citation(finding.citation)
            if found is not None and self.library is not None and found[1].source in self.library.entries:
                self.open_source(found[1].source, found[1].anchor.start, found[1].anchor.end)
            else:
                outline.focus()
        elif finding.position:
            outline.select_id(f"p:{finding.position}")
            outline.focus()
        elif finding.section:
            self._show_side_pane("prose")
            self.query_one(ProseEditor).open_section(finding.section)

    @on(ReviewList.Edited)
    def _review_edited(self, event: ReviewList.Edited) -> None:
        """Resolve, reopen or reply in the Review tab: a change to the draft, saved as any other."""
        if event.apply(self.brief, self.brief.author or "analyst"):
            self.draft.edited()  # counted, so a save running now keeps it
            self._show_review()
            self._changed(outline=False)
            self._save()

    def _show_review(self) -> None:
        review = self.query_one(ReviewList)
        review.show(self.brief)
        count = str(review.open_count) if review.open_count else None
        label = (f"Review {count}" if count else "Review") if self.brief.review else ""
        self.query_one(SidePanel).set_label("review", label, count)

    @on(ProblemsList.AcceptRequested)
    def _accept_new_place(self, event: ProblemsList.AcceptRequested) -> None:
        """The analyst reviewed a quote's new place: re-anchor it there (verified again now) and save."""
        from briefkit.brief.anchoring import verify

        cid = event.finding.citation
        found = self.brief.find_citation(cid)
        if found is None or self.library is None or found[1].source not in self.library.entries:
            self.notify(f"Citation {cid} is no longer in this brief or its source is missing.", severity="warning")
            return
        target = verify(found[1].anchor, self.library.source(found[1].source).text).to_accept
        if target is None:
            self.notify(f"Citation {cid} has no new place to accept any more.", severity="warning")
            return
        self.draft.take_anchors({cid: target})
        self._changed()
        self._save()
        self.notify(f"Accepted the new place of {cid} ({target.start}-{target.end}).", title="Re-anchored")

    # Suggestions ----------------------------------------------------------------------------------

    def action_suggest(self) -> None:
        position_id = self._current_position()
        if position_id is None or self.library is None or self.index is None:
            self.notify("Pick a position first (and let the library load).", severity="warning")
            return
        self._show_side_pane("suggest")
        self.query_one(SuggestionsList).focus()
        self._suggest(self._snapshot(), position_id, self.library, self.index)

    @work(thread=True, exclusive=True, group="suggest", description="suggest")
    def _suggest(self, brief: Brief, position_id: str, library: Library, index: Index) -> None:
        position = brief.position(position_id)
        assert position is not None
        text = " ".join([position.title, position.summary, *(c.anchor.quote for c in position.citations)])
        exclude: set[str] = set()
        try:
            for _, cite in brief.citations():
                if cite.source in library.entries:
                    source = library.source(cite.source)
                    para = source.paragraph_at(cite.anchor.start)
                    exclude.update(p.id for p in source.passages() if para and p.paragraph == para.number)
            hits = index.related(text, exclude=exclude, limit=20)
        except BriefkitError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error")
            return
        titles = {sid: e.title for sid, e in library.entries.items()}
        self.call_from_thread(self.query_one(SuggestionsList).show,
                              f"Related to “{position.title}”, not yet cited:", hits, titles)

    # The brief's details -------------------------------------------------------------------------

    def action_edit_details(self) -> None:
        """F7: title, subtitle, author, organisation, audience, date, template and style, saved
        as every change is (merged with what someone else saved meanwhile)."""
        from briefkit.tui.screens.details import BriefDetails, DetailsScreen

        before = BriefDetails.of(self.brief)

        def done(details: BriefDetails | None) -> None:
            if details is None or details == before:
                return
            if details.style != before.style and not self._style_found(details.style):
                details = dataclasses.replace(details, style=before.style)
            changed = self.draft.set_details(dataclasses.asdict(details))
            if not changed:
                return
            if "template" in changed:
                self._template_set(details.template)
            self._changed(outline=False)
            self.notify(f"Brief details: changed {', '.join(changed)}.")

        self.push_screen(DetailsScreen(before, self.template_options), done)

    def _style_found(self, style: str) -> bool:
        from briefkit.render.csl.styles import resolve_style
        from briefkit.render.export import style_of

        probe = dataclasses.replace(self.brief, style=style)
        try:
            resolve_style(style_of(probe, None))
        except BriefkitError as exc:
            self.notify(f"{exc} (the style is left as it was)", title="Style", severity="error", timeout=10)
            return False
        return True

    # Export ---------------------------------------------------------------------------------------

    def action_export(self) -> None:
        from briefkit.tui.screens.export import ExportScreen

        self._take_typing()
        stem = self.draft.path.name.split(".")[0]
        options = self.template_options or [(self.brief.template, self.brief.template)]
        self.push_screen(ExportScreen(self.draft.path.parent, stem, options, self.brief.template,
                                      self.brief.style), self._export_chosen)

    def _export_chosen(self, request: ExportRequest | None) -> None:
        if request is not None:
            self.notify(f"Exporting {request.out.name}…")
            self._export(self._snapshot(), request)

    @work(thread=True, exclusive=True, group="export", description="export")
    def _export(self, brief: Brief, request: ExportRequest) -> None:
        try:
            from briefkit.render.export import export

            exported = export(brief, request.fmt, request.out, template=request.template,
                              reference_doc=request.reference_doc, copy=request.copy, style=request.style)
            out, pages = exported.path, ""
            if request.fmt == "pdf":
                from briefkit.render.pdf import page_count

                pages = f" ({page_count(out.read_bytes())} pages)"
            elif request.fmt == "docx":  # the estimate: the TUI does not wait on LibreOffice's layout
                from briefkit.render.pdf import estimated_pages

                pages = f" ({estimated_pages(exported.rendered.document)})"
            from briefkit.render.template_checks import export_warnings
            from briefkit.render.templates import Templates

            info = Templates(brief.path.parent if brief.path else None).get(request.template or brief.template)
            warnings = [f.message for f in export_warnings(brief, info)]
        except Exception as exc:  # BriefkitError says why; anything else is a bug, but never a crash
            message = str(exc) if isinstance(exc, BriefkitError) else f"internal error: {type(exc).__name__}: {exc}"
            self.call_from_thread(self.notify, message, title="Export failed", severity="error", timeout=15)
            return
        self.last_export = out
        self.call_from_thread(self.notify, "\n".join([f"{out}{pages}", *warnings]), title="Exported", timeout=10,
                              severity="warning" if warnings else "information")

    # Navigation -----------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#search").focus()

    def action_show_reader(self) -> None:
        self._show_reader_pane()
        self.query_one(Reader).focus()

    def action_show_side(self, tab: str) -> None:
        self._show_side_pane(tab)
        self.query_one(SIDE_FOCUS[tab]).focus()

    def action_help(self) -> None:
        from briefkit.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    @on(SidePanel.TabActivated)
    def _tab_activated(self, event: SidePanel.TabActivated) -> None:
        if event.tab == "preview":
            self.call_after_refresh(self.preview.flush)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """In a narrow layout, focusing the reader (by tab or click) brings it back into view.
        A text field's cursor stops blinking: half the time it was not there to see."""
        if isinstance(event.widget, (Input, TextArea)):
            event.widget.cursor_blink = False
        if isinstance(event.widget, Reader):
            self._show_reader_pane()


def _open_in_background(brief: Brief) -> Future[Library]:
    """Start opening the brief's library at once, while Textual starts: it is usually open by the
    time the screen is composed, and its sources are then in the first frame."""
    opening: Future[Library] = Future()

    def run() -> None:
        from briefkit.brief.check import library_for

        try:
            opening.set_result(library_for(brief))
        except Exception as exc:  # handed to the library worker, which reports it
            opening.set_exception(exc)

    threading.Thread(target=run, name="briefkit-library", daemon=True).start()
    return opening


def make_app(brief_path: Path | str, preload: BriefPreload | None = None) -> BriefkitApp:
    """Build the app for one brief file, or a team brief named by its URL
    (`postgresql://host/db/BRIEF-ID?library=NAME`); the library is opened in the background.
    `preload` is the file's reading begun in another process (`tui.start`).

    Raises:
        BriefkitError: the brief cannot be read or is invalid, or its server cannot be reached.
    """
    from briefkit.library.interface import is_library_url

    if is_library_url(str(brief_path)):
        from briefkit.tui.team_draft import open_team_draft  # psycopg loads only for a team brief

        return BriefkitApp(open_team_draft(str(brief_path)))
    path = Path(brief_path).resolve()
    return BriefkitApp(Draft(preload.brief() if preload is not None and preload.path == path else load_brief(path)))
