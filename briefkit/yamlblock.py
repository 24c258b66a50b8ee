"""A direct reader of the block YAML briefkit writes, six times faster than libyaml's events.

Checking a 30 MB brief spent three quarters of its time in YAML: libyaml's event stream alone
costs about 0.7 s per 5 MB before a value is built. briefkit's files use a small part of YAML
(block mappings and lists, plain, quoted and literal text, `[]` and `{}`), written one element
to a line, so a reader of lines builds the same values with the same line numbers much faster.

It answers only where it is certain: anything outside that part (flow collections, folded
blocks, anchors, tags, comments after a value, tabs in indentation, odd keys, anything libyaml
would refuse) raises `Unsupported`, and the caller reads the text with libyaml, which also words
every error message. tests/core/test_yamlblock.py holds it to libyaml on generated files and on
random edits of them.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

__all__ = ["LineMap", "LineSeq", "Unsupported", "read"]


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


class Unsupported(Exception):
    """The text uses YAML this reader leaves to libyaml (or is not valid YAML)."""


# Implicit types of plain scalars by first character, as the safe loader resolves them.
IMPLICIT = {first: tuple(rules) for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()}
STR = "tag:yaml.org,2002:str"
_BLOCK_HEADER = re.compile(r"\|(?:([1-9])?([+-])?|([+-])([1-9]))")
# A plain scalar's line may not hold these: libyaml would end the text there (": ", " #"), or
# treats them by rules this reader does not repeat (a tab among the words).
_PLAIN_STOP = re.compile(r": | #|:$|\t")
_SINGLE_END = re.compile(r"(?:[^']|'')*'")
_DOUBLE_END = re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
            "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "\\": "\\", "N": "\x85",
            "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
# Plain scalars start with anything but these (a leading "-" is text only before a non-space).
_NOT_PLAIN_START = frozenset("[]{}>&*!%@`?:,#|'\"")
MAX_DEPTH = 50


def read(text: str) -> Any:
    """The value of `text` with lines remembered, exactly as yamlio's libyaml builder makes it.

    Raises:
        Unsupported: the text needs the full parser (which then reads it or words the error).
    """
    if not text.endswith("\n") or text.startswith(("---", "...", "%", "\ufeff")) \
            or "\n---" in text or "\n..." in text or "\n%" in text \
            or "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        raise Unsupported
    lines = text.split("\n")
    lines.pop()
    return _Reader(lines).document()


def plain_value(value: str) -> Any:
    """A plain scalar's value by the safe loader's implicit types (whole numbers fast)."""
    rules = IMPLICIT.get(value[:1])
    if rules is None:
        return value
    if len(value) < 19 and value.isascii() and value.isdigit() and (value[0] != "0" or value == "0"):
        return int(value)
    for tag, pattern in rules:
        if pattern.match(value):
            break
    else:
        return value
    if tag == STR:
        return value
    try:
        return SafeConstructor().construct_object(yaml.ScalarNode(tag, value), deep=True)
    except (ValueError, OverflowError, yaml.YAMLError):
        raise Unsupported from None


# One match per line: its indentation, a list item's dash, a mapping key; the rest follows.
_LINE = re.compile(r"( *)(-(?: +|$))?(?:([A-Za-z0-9_][\w.-]*):(?: +|$))?(.*)", re.ASCII)
_MISSING = object()
# What a value on one line may not start with to be taken as plain text without more checks.
_NOT_QUICK = _NOT_PLAIN_START | {"-"}


class _Reader:
    """One pass over the lines, keeping the open collections on a stack by their columns."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def document(self) -> Any:
        lines, match, n = self.lines, _LINE.match, len(self.lines)
        stop, implicit = _PLAIN_STOP.search, IMPLICIT
        keys: dict[str, Any] = {}
        root: Any = None
        # Open collections: (column, the collection, whether it is a list); the innermost's
        # three are also kept in locals.
        stack: list[tuple[int, Any, bool]] = []
        top_column, collection, is_list = -1, None, False
        pending: tuple[LineMap, Any, int] | None = None  # a key whose value is on the lines below
        i = 0
        while i < n:
            spaces, dash, key, rest = match(lines[i]).groups()
            column = len(spaces)
            if dash is None and column == top_column and not is_list and pending is None \
                    and key is not None:
                mapping = collection  # the next key of the same mapping, as most lines are
            else:
                if dash is None and key is None:
                    if not rest or rest[0] == "#":
                        i += 1
                        continue
                    raise Unsupported
                while stack:
                    top = stack[-1]
                    if column < top[0] or (column == top[0] and top[2] and dash is None):
                        stack.pop()
                    else:
                        break
                if pending is not None:
                    parent, parent_key, parent_column = pending
                    pending = None
                    if column > parent_column or (column == parent_column and dash is not None):
                        parent[parent_key] = self.open(stack, column, dash is not None, i)
                    else:
                        parent[parent_key] = None
                if not stack:
                    if root is not None:
                        raise Unsupported
                    root = self.open(stack, column, dash is not None, i)
                top_column, collection, is_list = stack[-1]
                if dash is not None:
                    if not is_list or top_column != column:
                        raise Unsupported
                    collection.item_lines.append(i + 1)
                    if key is None:
                        if not rest or rest[0] == "#":
                            raise Unsupported  # an empty item, or one on the lines below
                        value, i = self.scalar(i, rest, column)
                        collection.append(value)
                        continue
                    column += len(dash)
                    mapping = self.open(stack, column, False, i)
                    collection.append(mapping)
                    top_column, collection, is_list = column, mapping, False
                elif is_list or top_column != column:
                    raise Unsupported
                else:
                    mapping = collection
            name = keys.get(key, _MISSING)
            if name is _MISSING:
                name = keys[key] = plain_value(key)
            key_lines = mapping.key_lines
            if name in key_lines:
                raise Unsupported
            i += 1
            key_lines[name] = i
            if not rest or rest[0] == "#":
                pending = (mapping, name, column)
                continue
            if rest[0] not in _NOT_QUICK and rest[-1] != " " and i < n and not stop(rest):
                after = lines[i]
                if after and not after.startswith(" " * (column + 1)) and not after.isspace():
                    # Plain text on one line, as most values are: the same as scalar() but faster.
                    mapping[name] = rest if rest[0] not in implicit else plain_value(rest)
                    continue
            mapping[name], i = self.scalar(i - 1, rest, column)
        if pending is not None:
            pending[0][pending[1]] = None
        return root

    def open(self, stack: list[tuple[int, Any, bool]], column: int, is_list: bool, i: int) -> Any:
        """A new collection whose first entry is on line `i`, pushed on the stack."""
        if len(stack) >= MAX_DEPTH:
            raise Unsupported
        collection = _empty(is_list, i + 1)
        stack.append((column, collection, is_list))
        return collection

    def scalar(self, i: int, rest: str, indent: int) -> tuple[Any, int]:
        """The value that starts with `rest` on line `i` inside a block at column `indent`, and
        the line after it."""
        first = rest[0]
        if first == "'":
            return self.single_quoted(i, rest, indent)
        if first == '"':
            return self.double_quoted(i, rest, indent)
        if first == "|":
            return self.literal(i, rest, indent)
        if first in _NOT_PLAIN_START or (first == "-" and rest[1:2] in ("", " ")):
            bare = rest.rstrip(" ")
            if bare not in ("[]", "{}"):
                raise Unsupported
            return _empty(bare == "[]", i + 1), i + 1
        text = rest.rstrip(" ")
        if _PLAIN_STOP.search(text):
            raise Unsupported
        lines, n = self.lines, len(self.lines)
        i += 1
        pad = " " * (indent + 1)
        if i < n:
            after = lines[i]
            if after and not after.startswith(pad) and not after.isspace():
                return plain_value(text), i  # on one line, as nearly all are
        parts = [text]
        blanks = 0
        while i < n:
            line = lines[i]
            content = line.lstrip(" ")
            if not content:
                blanks += 1
                i += 1
                continue
            if len(line) - len(content) <= indent:
                break
            content = content.rstrip(" ")
            if content[0] == "#" or _PLAIN_STOP.search(content):
                raise Unsupported
            parts.append("\n" * blanks if blanks else " ")
            parts.append(content)
            blanks = 0
            i += 1
        return plain_value("".join(parts)), i

    def quoted_lines(self, i: int, rest: str, indent: int, end: re.Pattern[str]) -> tuple[str, int]:
        """The text between the quotes that open `rest`, over as many lines as it takes."""
        raw = rest[1:]
        lines = self.lines
        while (found := end.match(raw)) is None:
            i += 1
            if i >= len(lines):
                raise Unsupported
            line = lines[i]
            content = line.lstrip(" ")
            if content and len(line) - len(content) <= indent:
                raise Unsupported
            raw += "\n" + line
        if raw[found.end():].strip(" "):
            raise Unsupported  # a comment or more after the closing quote
        return raw[: found.end() - 1], i + 1

    def single_quoted(self, i: int, rest: str, indent: int) -> tuple[str, int]:
        end = rest.find("'", 1)
        if end != -1 and rest[end + 1: end + 2] != "'" and not rest[end + 1:].strip(" "):
            return rest[1:end], i + 1  # on one line, without a doubled quote
        inner, i = self.quoted_lines(i, rest, indent, _SINGLE_END)
        if "\n" not in inner:
            return inner.replace("''", "'"), i
        return _fold(inner, double=False), i

    def double_quoted(self, i: int, rest: str, indent: int) -> tuple[str, int]:
        inner, i = self.quoted_lines(i, rest, indent, _DOUBLE_END)
        if "\\" not in inner and "\n" not in inner:
            return inner, i
        return _fold(inner, double=True), i

    def literal(self, i: int, rest: str, indent: int) -> tuple[str, int]:
        """A literal block (`|`, with optional indentation and chomping indicators)."""
        header = _BLOCK_HEADER.fullmatch(rest.rstrip(" "))
        if header is None:
            raise Unsupported  # a comment after the header, or a folded block
        step = header.group(1) or header.group(4)
        chomp = header.group(2) or header.group(3)
        lines, n = self.lines, len(self.lines)
        i += 1
        if step:
            width = indent + int(step)
        else:
            if i >= n or not lines[i].strip(" "):
                raise Unsupported  # leading blank lines: libyaml's own rules decide the width
            width = len(lines[i]) - len(lines[i].lstrip(" "))
            if width <= indent:
                raise Unsupported
        pad = " " * width
        body: list[str] = []
        while i < n:
            line = lines[i]
            if line.startswith(pad):
                body.append(line[width:])
            elif line.strip(" "):
                break
            else:
                body.append("")
            i += 1
        last = len(body)
        while last and not body[last - 1]:
            last -= 1
        if not last:
            raise Unsupported
        text = "\n".join(body[:last])
        if chomp == "-":
            return text, i
        if chomp == "+":
            return text + "\n" * (len(body) - last + 1), i
        return text + "\n", i


def _empty(is_list: bool, line: int) -> LineSeq | LineMap:
    collection: LineSeq | LineMap
    if is_list:
        collection = LineSeq()
        collection.item_lines = []
    else:
        collection = LineMap()
        collection.key_lines = {}
    collection.line = line
    return collection


def _fold(raw: str, double: bool) -> str:
    """A quoted scalar's value: libyaml's folding of line breaks, and escapes when `double`."""
    out: list[str] = []
    i, n = 0, len(raw)
    while True:
        after_escaped_break = False
        while i < n and raw[i] not in " \t\n":
            char = raw[i]
            if not double:
                out.append(char)
                i += 2 if char == "'" else 1
                continue
            if char != "\\":
                out.append(char)
                i += 1
                continue
            code = raw[i + 1]
            if code == "\n":
                i += 2
                after_escaped_break = True
                break
            if code in _ESCAPES:
                out.append(_ESCAPES[code])
                i += 2
                continue
            digits = _HEX_ESCAPES.get(code)
            hex_text = raw[i + 2: i + 2 + digits] if digits else ""
            if not digits or len(hex_text) != digits or not all(c in "0123456789abcdefABCDEF" for c in hex_text):
                raise Unsupported
            point = int(hex_text, 16)
            if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF:
                raise Unsupported
            out.append(chr(point))
            i += 2 + digits
        if i >= n:
            break
        spaces: list[str] = []
        line_break = after_escaped_break
        breaks = 0
        while i < n and raw[i] in " \t\n":
            if raw[i] == "\n":
                if line_break:
                    breaks += 1
                else:
                    line_break = True
                    spaces.clear()
            elif not line_break:
                spaces.append(raw[i])
            i += 1
        if after_escaped_break:
            out.append("\n" * breaks)
        elif line_break:
            out.append("\n" * breaks if breaks else " ")
        else:
            out.append("".join(spaces))
    return "".join(out)
