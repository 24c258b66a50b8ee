"""YAML files users edit by hand: safe round-trip loading with line numbers, comment-keeping dumps.

ruamel.yaml's round-trip loader is a safe loader (it builds only maps, lists and scalars and refuses
Python tags) that also remembers comments, key order and line numbers, so a brief survives a
load-save cycle as the analyst wrote it, and every validation message can name a line.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from briefkit.errors import BriefkitError

__all__ = ["CommentedMap", "CommentedSeq", "Layout", "dump", "guess_layout", "line_of", "load", "loads"]


@dataclass(frozen=True, slots=True)
class Layout:
    """Indentation of a YAML file, so a save re-emits it the way its author wrote it."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2


_KEY_ONLY = re.compile(r"^( *)[^\s#-][^:#]*:\s*(#.*)?$")


def guess_layout(text: str) -> Layout:
    try:
        _, seq, offset = load_yaml_guess_indent(text)
    except YAMLError:
        return Layout()
    mapping = None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for line, nxt in zip(lines, lines[1:]):
        m = _KEY_ONLY.match(line)
        if m and not nxt.lstrip().startswith("- "):
            depth = len(nxt) - len(nxt.lstrip(" ")) - len(m.group(1))
            if depth > 0:
                mapping = depth
                break
    default = Layout()
    return Layout(
        mapping=mapping or default.mapping,
        sequence=seq if seq is not None else default.sequence,
        offset=offset if offset is not None else default.offset,
    )


def _yaml(layout: Layout | None = None) -> YAML:
    layout = layout or Layout()
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    return yaml


def read_text(path: Path, error: type[BriefkitError] = BriefkitError) -> str:
    """Read a UTF-8 (optionally BOM-prefixed) text file, or raise a message naming it."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise error("file not found", path=path) from None
    except IsADirectoryError:
        raise error("is a folder, not a file", path=path) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path=path) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise error("is a binary file, not YAML text", path=path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error("is not valid UTF-8 text", path=path, line=line) from None


def loads(text: str, path: Path | str, error: type[BriefkitError] = BriefkitError) -> Any:
    """Parse YAML text; syntax errors become a message with the file and line."""
    bad = next((ch for ch in text if ord(ch) < 32 and ch not in "\n\r\t"), None)
    if bad is not None:
        line = text[: text.index(bad)].count("\n") + 1
        raise error(f"control character U+{ord(bad):04X} is not allowed in YAML", path=path, line=line)
    try:
        data = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"invalid YAML: {problem}", path=path, line=line) from None
    except YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=path) from None
    _reject_tags(data, None, None, path, error)
    return data


def _reject_tags(node: Any, parent: Any, key: Any, path: Path | str, error: type[BriefkitError]) -> None:
    """Explicit tags (`!!python/...`, `!foo`) are never data a brief needs: refuse them by line."""
    tag = getattr(getattr(node, "tag", None), "value", None)
    if tag is not None:
        line = line_of(parent, key) if parent is not None else None
        raise error(f"YAML tag {tag!r} is not allowed", path=path, line=line)
    if isinstance(node, dict):
        for k, v in node.items():
            _reject_tags(v, node, k, path, error)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _reject_tags(v, node, i, path, error)


def load(path: Path, error: type[BriefkitError] = BriefkitError) -> Any:
    return loads(read_text(path, error), path, error)


def dump(data: Any, layout: Layout | None = None) -> str:
    stream = io.StringIO()
    _yaml(layout).dump(data, stream)
    return stream.getvalue()


def line_of(node: Any, key: str | int | None = None) -> int | None:
    """1-based line of `node` (or of `node[key]`) when the node came from a file."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return int(lc.line) + 1
        if isinstance(node, CommentedMap):
            return int(lc.key(key)[0]) + 1
        return int(lc.item(key)[0]) + 1
    except (KeyError, IndexError, TypeError):
        return int(lc.line) + 1
