"""YAML files users edit by hand: fast safe loading with line numbers, comment-keeping saves.

Loading uses PyYAML's safe loader (libyaml where available: ruamel's round-trip loader is ~50x
slower, which a 1,000-citation brief or a 2,000-source library would feel). Saving re-reads the
original text with ruamel.yaml's round-trip loader, updates only what changed, and dumps it, so
comments, key order, quoting and indentation survive.
"""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from briefkit.errors import BriefkitError
from briefkit.fsio import read_bytes

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

__all__ = ["CommentedMap", "CommentedSeq", "Layout", "LineMap", "LineSeq", "dump", "guess_layout", "line_of", "load",
           "load_roundtrip", "loads"]


def __getattr__(name: str) -> Any:
    """ruamel.yaml loads on first use: only saves need it, and reading a brief (every export) should
    not pay for its import."""
    if name in ("CommentedMap", "CommentedSeq"):
        from ruamel.yaml import comments

        return getattr(comments, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class Layout:
    """Indentation of a YAML file, so a save re-emits it the way its author wrote it."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2


_KEY_ONLY = re.compile(r"^( *)[^\s#-][^:#]*:\s*(#.*)?$")


def guess_layout(text: str) -> Layout:
    """Read the indentation of the first nested mapping and the first block list under a key."""
    mapping = sequence = offset = None
    # Lazily: both are usually found in the first lines of a file that may hold thousands.
    lines = (ln.rstrip("\r\n") for ln in io.StringIO(text) if ln.strip() and not ln.lstrip().startswith("#"))
    for line, nxt in itertools.pairwise(lines):
        m = _KEY_ONLY.match(line)
        if not m:
            continue
        depth = len(nxt) - len(nxt.lstrip(" ")) - len(m.group(1))
        if nxt.lstrip().startswith("- ") and offset is None and depth >= 0:
            offset = depth
            rest = nxt.lstrip()[1:]
            sequence = depth + 1 + len(rest) - len(rest.lstrip(" "))
        elif not nxt.lstrip().startswith("- ") and mapping is None and depth > 0:
            mapping = depth
        if mapping is not None and offset is not None:
            break
    default = Layout()
    return Layout(
        mapping=mapping or default.mapping,
        sequence=sequence if sequence is not None else default.sequence,
        offset=offset if offset is not None else default.offset,
    )


def _yaml(layout: Layout | None = None) -> YAML:
    from ruamel.yaml import YAML

    layout = layout or Layout()
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    return yaml


def read_text(path: Path, error: type[BriefkitError] = BriefkitError) -> str:
    """Read a UTF-8 (optionally BOM-prefixed) text file, or raise a message naming it."""
    raw = read_bytes(path, error)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        raise error("is a binary file, not YAML text", path=path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error("is not valid UTF-8 text", path=path, line=line) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)


class LineMap(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line of each key, for messages."""

    __slots__ = ("key_lines", "line")
    line: int
    key_lines: dict[Any, int]


class LineSeq(list):  # type: ignore[type-arg]
    """A list that remembers the line of each item, for messages."""

    __slots__ = ("item_lines", "line")
    line: int
    item_lines: list[int]


def loads(text: str, path: Path | str, error: type[BriefkitError] = BriefkitError) -> Any:
    """Parse YAML safely (libyaml's safe loader where available) into plain maps, lists and scalars.

    Maps and lists remember lines; explicit tags, merge keys and duplicate keys are refused.
    """
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise error(f"control character U+{ord(bad.group()):04X} is not allowed in YAML", path=path, line=line)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _Builder(loader, path, error).build(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"invalid YAML: {problem}", path=path,
                    line=mark.line + 1 if mark is not None else None) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=path) from None
    finally:
        loader.dispose()


class _Builder:
    def __init__(self, loader: Any, path: Path | str, error: type[BriefkitError]) -> None:
        self.loader = loader
        self.path = path
        self.error = error
        self.built: dict[int, Any] = {}  # aliases share one object: no exponential expansion

    def fail(self, message: str, node: yaml.Node) -> BriefkitError:
        return self.error(message, path=self.path, line=node.start_mark.line + 1)

    def build(self, node: yaml.Node) -> Any:
        if id(node) in self.built:
            return self.built[id(node)]
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(f"YAML tag {node.tag!r} is not allowed", node)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:  # most scalars: skip the constructor's bookkeeping
                return node.value
            return self.loader.construct_object(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            seq = LineSeq()
            seq.line = node.start_mark.line + 1
            seq.item_lines = [child.start_mark.line + 1 for child in node.value]
            self.built[id(node)] = seq
            seq.extend(self.build(child) for child in node.value)
            return seq
        mapping = LineMap()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        self.built[id(node)] = mapping
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail("keys must be plain words or text", key_node)
            key = self.build(key_node)
            if key in mapping:
                raise self.fail(f"duplicate key '{key}' (first on line {mapping.key_lines[key]})", key_node)
            mapping.key_lines[key] = key_node.start_mark.line + 1
            mapping[key] = self.build(value_node)
        return mapping


def load(path: Path, error: type[BriefkitError] = BriefkitError) -> Any:
    return loads(read_text(path, error), path, error)


def load_roundtrip(text: str) -> CommentedMap:
    """The comment-keeping document used only for saving; `text` has already passed `loads`."""
    from ruamel.yaml.comments import CommentedMap

    data = _yaml().load(text)
    return data if isinstance(data, CommentedMap) else CommentedMap()


def dump(data: Any, layout: Layout | None = None) -> str:
    stream = io.StringIO()
    _yaml(layout).dump(data, stream)
    return stream.getvalue()


def line_of(node: Any, key: str | int | None = None) -> int | None:
    """1-based line of `node` (or of `node[key]`) when the node came from `loads`."""
    if isinstance(node, LineMap):
        return node.key_lines.get(key, node.line) if key is not None else node.line
    if isinstance(node, LineSeq):
        if isinstance(key, int) and 0 <= key < len(node.item_lines):
            return node.item_lines[key]
        return node.line
    return None
