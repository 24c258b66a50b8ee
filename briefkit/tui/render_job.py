"""The check and render behind the preview, the problems and the length line, in a process of
its own.

In a thread of the TUI's process, a render of 5,000 citations (3 s of CPU: quotes verified, the
template rendered, the principal's copy rendered again to measure it) took the interpreter's
lock half of the time, and every key the analyst pressed meanwhile took twice as long. The
process opens the library and templates once per `generation` and keeps them; this module
imports no Textual.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefkit.errors import BriefkitError

if TYPE_CHECKING:
    from briefkit.brief.check import CheckReport
    from briefkit.brief.counts import Budgets
    from briefkit.brief.model import Brief, Position
    from briefkit.tui.preview_blocks import Blocks


@dataclass
class Stage:
    """What one step of a render shows: the report (with the verifications of failed quotes
    only), the preview's Markdown (None: the same
    preview as before), a renderer's error, the template's title, and, once known, the
    template's budgets with the whole brief's length line. `more`: a second step measures the
    principal's copy. `prepared`: the preview's document and blocks at the width asked for
    (`preview_blocks.prepare`), where one was."""

    report: CheckReport
    markdown: str | None
    error: str
    template: str
    length: tuple[Budgets, str] | None
    more: bool
    prepared: tuple[int, str, Blocks] | None = None


_opened: dict[str, Any] = {}  # in the render process: the library and templates of `generation`
_pending: dict[str, Any] = {}  # what the second step needs from the first


def _open(brief: Brief, generation: int) -> tuple[Any, Any]:
    from briefkit.brief.check import library_for
    from briefkit.render.templates import Templates

    if _opened.get("generation") != generation:
        folder = brief.path.parent if brief.path is not None else None
        _opened.update(generation=generation, library=library_for(brief), templates=Templates(folder))
    return _opened["library"], _opened["templates"]


def first_stage(brief: Brief, generation: int, width: int | None = None) -> Stage:
    """Check the brief and render its preview (and measure it, where the preview is the copy
    that is measured), with the preview's blocks prepared for `width` where given. A brief sent
    without positions has those of the last one.

    Raises:
        BriefkitError: the library, the template or the check failed (the preview says so).
    """
    from briefkit.brief.check import check_brief
    from briefkit.render import template_checks as budgets  # the template's budgets and rules
    from briefkit.render.export import render_brief
    from briefkit.render.markdown import write_markdown
    from briefkit.render.page_estimate import measure
    from briefkit.render.parse import prose_citations
    from briefkit.render.reading import for_reading
    from briefkit.tui.preview_blocks import prepare

    if brief.positions is None:
        brief = dataclasses.replace(brief, positions=_opened["positions"])
    _opened["positions"] = brief.positions
    library, templates = _open(brief, generation)
    info = templates.get(brief.template)
    report = check_brief(brief, library, prose_citations)
    # The app reads only the quotes that failed: 5,000 verified ones took 50 ms to send back,
    # with the interpreter's lock held all the while.
    report.verifications = {cid: v for cid, v in report.verifications.items() if not v.ok}
    length = None
    try:
        rendered = render_brief(brief, library, allow_unverified=True)
        markdown, error = write_markdown(for_reading(rendered.document)), ""
        length = measure(rendered.document) if info.copies is None else None  # the one copy is the principal's
    except BriefkitError as exc:
        markdown, error = "", str(exc)
    except Exception as exc:  # a renderer bug must not take the analyst's session down with it
        markdown, error = "", f"internal error in the renderer: {type(exc).__name__}: {exc}"
    checked = budgets.superseded(report.findings, info)
    report.findings = checked + budgets.template_findings(brief, library, info, length, measure_whole=False)
    prepared = (width, *prepare(markdown, width)) if width and markdown else None
    if length is None and not error:
        # The preview is the reviewer's copy and lengths are the principal's: the preview is
        # shown, then the second step renders the principal's copy to measure it.
        _pending.update(brief=brief, info=info, checked=checked, verifications=report.verifications)
        return Stage(report, markdown, error, info.title, None, more=True, prepared=prepared)
    whole = budgets.whole_shown(length, info.budgets, notes=False) if length is not None else ""
    return Stage(report, markdown, error, info.title, (info.budgets, whole), more=False, prepared=prepared)


def second_stage() -> Stage:
    """Measure the principal's copy of the brief the first step rendered."""
    from briefkit.brief.check import CheckReport
    from briefkit.render import template_checks as budgets

    brief, info, checked = _pending.pop("brief"), _pending.pop("info"), _pending.pop("checked")
    library = _opened["library"]
    length = budgets.measure_rendered(brief, library, info)
    report = CheckReport(checked + budgets.template_findings(brief, library, info, length, measure_whole=False),
                         _pending.pop("verifications"))
    whole = budgets.whole_shown(length, info.budgets, notes=False) if length is not None else ""
    return Stage(report, None, "", info.title, (info.budgets, whole), more=False)


def serve() -> None:
    """The render process: run each step asked for on stdin, and send back on stdout its result
    or error (anything else written to stdout goes to stderr instead)."""
    steps = {"first": first_stage, "second": second_stage}
    requests, replies = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    while True:
        try:
            name, args = pickle.load(requests)
        except EOFError:
            return  # the app has gone
        try:
            reply: tuple[bool, Any] = (True, steps[name](*args))
        except BriefkitError as exc:
            reply = (False, exc)
        except Exception as exc:  # a bug must not leave the app waiting for an answer
            reply = (False, BriefkitError(f"internal error in the renderer: {type(exc).__name__}: {exc}"))
        pickle.dump(reply, replies, protocol=pickle.HIGHEST_PROTOCOL)
        replies.flush()


class RenderProcess:
    """One process that runs renders one at a time (the app's render lock sees to that):
    started at the first render, after the first screen; started again if it died; ended with
    the app. (A subprocess with pipes, not multiprocessing: its resource tracker cannot start
    once Textual has taken over stderr.)"""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._closed = False
        self._positions: list[Position] | None = None  # the positions the process has

    def first(self, brief: Brief, generation: int, width: int | None = None) -> Stage:
        """The first step of a render (waits for it), with the preview's blocks prepared for
        `width` where given. `brief` is the app's copy, not changed after.

        Raises:
            BriefkitError: the render could not run, or failed (the message says why).
        """
        self._start()
        # Only what a render reads goes to the process: not the file's text and parsed lines, nor
        # the positions when they are those it has (typing prose: 5,000 citations took 25 ms to
        # send, with the interpreter's lock held).
        same = self._positions is not None and brief.positions == self._positions
        self._positions = brief.positions
        light = dataclasses.replace(brief, source_text="", document=None, positions=None if same else brief.positions)
        return self._call("first", light, generation, width)

    def second(self) -> Stage:
        """The second step of the render `first` began (waits for it)."""
        return self._call("second")

    def _start(self) -> None:
        if self._closed:
            raise BriefkitError("the app is closing")
        if self._process is None or self._process.poll() is not None:
            self._end()
            self._process = subprocess.Popen(
                [sys.executable, "-c", "from briefkit.tui.render_job import serve; serve()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def _call(self, name: str, *args: object) -> Stage:
        self._start()
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        try:
            pickle.dump((name, args), process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.flush()
            ok, value = pickle.load(process.stdout)
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):  # (ValueError: closed meanwhile)
            self._end()  # started again next time
            raise BriefkitError("the render process stopped; the brief is rendered again at the next change") from None
        if not ok:
            raise value
        stage: Stage = value
        return stage

    def close(self) -> None:
        """End the process (called from the event loop while a render may be under way)."""
        self._closed = True
        self._end()

    def _end(self) -> None:
        process, self._process = self._process, None
        self._positions = None  # a new process has none
        if process is not None:
            process.kill()
            process.wait()
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    try:
                        pipe.close()
                    except OSError:  # what a render was writing to it, now unread
                        pass
