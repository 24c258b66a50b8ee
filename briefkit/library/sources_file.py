"""Edits to `sources.yaml` that keep what the user wrote: comments, key order, quoting and
indentation survive (ruamel round trip, as brief saves do), and the file is replaced atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefkit import yamlio
from briefkit.errors import BriefkitError
from briefkit.fsio import atomic_write
from briefkit.library.library import SOURCES_FILE

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
        return cls(path, yamlio.load_roundtrip(text), yamlio.guess_layout(text))

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
        if self.items and self.items.fa.flow_style():
            self.items.fa.set_block_style()  # "sources: []" grows into a block list
        atomic_write(self.path, yamlio.dump(self.doc, self.layout))


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


_NAME_KEYS = frozenset(("author", "editor", "translator", "container-author", "director"))
