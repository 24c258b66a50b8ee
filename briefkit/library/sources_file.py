"""Edits to `sources.yaml` that keep what the user wrote: comments, key order, quoting and
indentation survive (ruamel round trip, as brief saves do), and the file is replaced atomically."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefkit import yamlio
from briefkit.errors import BriefkitError
from briefkit.fsio import atomic_write
from briefkit.library.library import SOURCES_FILE, _entries

__all__ = ["SourcesFile", "yaml_value"]

_NEW_FILE = "# Sources of this library: CSL-JSON items plus `file:` (relative to this folder).\n"


class SourcesFile:
    """The round-trip document of one `sources.yaml`, for changing entries in place."""

    def __init__(self, path: Path, doc: yamlio.CommentedMap, layout: yamlio.Layout) -> None:
        self.path = path
        self.doc = doc
        self.layout = layout

    @classmethod
    def load(cls, root: Path) -> SourcesFile:
        """The library's `sources.yaml` (validated by `Library.open` first), or a new one."""
        path = Path(root) / SOURCES_FILE
        if not path.exists():
            return cls(path, yamlio.load_roundtrip(_NEW_FILE + "sources: []\n"), yamlio.Layout())
        text = yamlio.read_text(path)
        yamlio.loads(text, path)  # the safe loader's checks and messages come first
        return cls(path, yamlio.load_roundtrip(text, path), yamlio.guess_layout(text))

    @property
    def items(self) -> yamlio.CommentedSeq:
        items = self.doc.get("sources")
        if not isinstance(items, yamlio.CommentedSeq):
            items = yamlio.CommentedSeq()
            self.doc["sources"] = items
        return items

    def item(self, source_id: str) -> yamlio.CommentedMap:
        """The entry with `source_id`.

        Raises:
            BriefkitError: no entry has that id.
        """
        for node in self.items:
            if isinstance(node, yamlio.CommentedMap) and node.get("id") == source_id:
                return node
        raise BriefkitError(f"unknown source '{source_id}'", path=self.path)

    def save(self) -> None:
        """Write `sources.yaml` atomically, once its text passes the library's own validation
        and reads every text back exactly, so no edit leaves a library that will not open.

        Raises:
            BriefkitError: the text would not load as a library, or would read a text field
                back differently (the message names the field); the file is left as it was.
        """
        if self.items and self.items.fa.flow_style():
            self.items.fa.set_block_style()  # "sources: []" grows into a block list
        texts = list(_texts(self.doc))
        for field, _, value in texts:
            problem = yamlio.unwritable(value)
            if problem is not None:
                raise BriefkitError(f"not saved: {problem}", path=self.path, field=field)
        text = yamlio.dump(self.doc, self.layout)
        try:
            data = yamlio.loads(text, self.path)
            _entries(data, self.path, self.path.parent)
        except BriefkitError as exc:
            raise BriefkitError(f"not saved: {exc.message}", path=self.path,
                                field=exc.field) from None
        for field, keys, value in texts:
            read = _find(data, keys)
            if read != value:
                raise BriefkitError(f"not saved: {value!r} would read back as {read!r}",
                                    path=self.path, field=field)
        atomic_write(self.path, text)


def yaml_value(value: Any, key: str = "") -> Any:
    """CSL-JSON as round-trip YAML nodes: names, date parts and page labels in flow style."""
    if isinstance(value, dict):
        node = yamlio.CommentedMap((k, yaml_value(v, k)) for k, v in value.items())
        if key in ("name", "author", "editor", "translator") or all(
                not isinstance(v, (dict, list)) for v in value.values()) and len(value) <= 3:
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        seq = yamlio.CommentedSeq(yaml_value(v, "name" if key in _NAME_KEYS else "") for v in value)
        if key in ("date-parts", "page-labels"):
            seq.fa.set_flow_style()
        return seq
    return value


def _texts(node: Any, at: str = "",
           keys: tuple[Any, ...] = ()) -> Iterator[tuple[str, tuple[Any, ...], str]]:
    """(field, keys, text) of every text in a round-trip document, `sources[2].title` style."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{at}.{key}" if at else str(key), (*keys, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{at}[{i + 1}]", (*keys, i))
    elif isinstance(node, str):
        yield at, keys, str(node)


def _find(data: Any, keys: tuple[Any, ...]) -> Any:
    """The loaded value at `keys`, or None where there is none."""
    for key in keys:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


_NAME_KEYS = frozenset(("author", "editor", "translator", "container-author", "director"))
