"""The bad-input corpus: every case is refused with exit status 2 (1 for a metadata import, which
goes on to the next file) and one `briefkit: error:` line naming the offending file (and line),
with no traceback, no input file changed and nothing written.
"""

from __future__ import annotations

import re
from pathlib import Path

import corpus_brief
import corpus_commands
import corpus_outputs
import corpus_quotes
import corpus_render
import corpus_sources
import pytest
from corpus_model import AnyLine, Case, Expect, Line, Workspace
from corpus_run import Outcome, cache_bytes, run_child, run_here, snapshot

CASES: list[Case] = [*corpus_brief.CASES, *corpus_sources.CASES, *corpus_quotes.CASES,
                     *corpus_render.CASES, *corpus_outputs.CASES, *corpus_commands.CASES]


def test_the_corpus_has_at_least_150_cases_with_distinct_ids() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) >= 150
    assert len(set(ids)) == len(ids), sorted(i for i in ids if ids.count(i) > 1)


def _spellings(path: Path) -> set[str]:
    names = {str(path)}
    try:
        names.add(str(path.resolve()))
    except (OSError, RuntimeError):
        pass  # a symlink loop has no resolved form
    return names


def _names(message: str, place: Path | str, line: Line) -> bool:
    if isinstance(place, str):
        return place in message  # a command-line option
    for name in _spellings(place):
        if isinstance(line, AnyLine):
            if re.search(re.escape(name) + r":\d+:", message):
                return True
        elif line is None:
            if name in message:
                return True
        elif f"{name}:{line}:" in message:
            return True
    return False


def problems(expect: Expect, outcome: Outcome) -> list[str]:
    """Everything wrong with one outcome, so a failing case reports all of it at once."""
    found = []
    if outcome.crash:
        found.append(f"crashed: {outcome.crash.strip()}")
    if "Traceback" in outcome.out + outcome.err:
        found.append("a traceback was printed")
    if outcome.status != expect.status:
        found.append(f"exit status {outcome.status}, expected {expect.status}")
    lines = outcome.err.strip().splitlines()
    errors = [ln for ln in lines if ln.startswith("briefkit: error:")]
    if expect.where:
        if len(lines) != 1 or len(errors) != 1:
            found.append(f"stderr should be one 'briefkit: error:' line, got {len(lines)} lines "
                         f"({len(errors)} errors)")
        if errors and not any(_names(errors[0], path, line) for path, line in expect.where):
            wanted = " or ".join(f"{p}" + (f":{ln}" if ln is not None else "") for p, ln in expect.where)
            found.append(f"the message does not name {wanted}")
    elif errors:
        found.append("an error was reported")
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_with_one_message(
    case: Case, workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    expect = case.build(workspace)
    before = snapshot(workspace.root)
    outcome = run_child(expect.argv, workspace) if case.subprocess else run_here(expect.argv, capsys)
    found = problems(expect, outcome)
    after = snapshot(workspace.root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        found.append(f"files changed, added or removed: {', '.join(changed)}")
    cached = cache_bytes(workspace.root.parent)
    if expect.cache_limit is not None and cached > expect.cache_limit:
        found.append(f"caches hold {cached} bytes")
    report = "\n".join(found)
    assert not found, f"{report}\n--- stdout:\n{outcome.out[-2000:]}\n--- stderr:\n{outcome.err[-3000:]}"
