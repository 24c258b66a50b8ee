"""The prose editor: one Markdown text per section the template expects (or the brief already has)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import TextArea

from briefkit.tui.widgets.chooser import Chooser


class ProseEditor(Vertical):
    """Pick a section, write it; `ctrl+o` asks for a citation reference to insert at the cursor."""

    DEFAULT_CSS = """
    ProseEditor { height: 1fr; }
    ProseEditor > TextArea { height: 1fr; border: none; padding: 0 1; }
    """
    BINDINGS = [Binding("ctrl+o", "pick_citation", "Insert citation")]

    class Changed(Message):
        def __init__(self, section: str, text: str) -> None:
            super().__init__()
            self.section = section
            self.text = text

    class PickCitation(Message):
        """The analyst wants to insert a `[@id]` reference; the app answers with `insert_reference`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.section = ""
        self._texts: dict[str, str] = {}
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Chooser("Section", id="section")
        yield TextArea(id="prose-text", soft_wrap=True, show_line_numbers=False, tab_behavior="indent")

    def show(self, names: list[str], texts: dict[str, str]) -> None:
        """Offer these sections; the text area keeps what the analyst is typing."""
        self._texts = texts
        current = self.section or (names[0] if names else "")
        self.query_one("#section", Chooser).set_options([(name, name) for name in names], current)
        if current in names:
            self._load(current)

    def _load(self, name: str) -> None:
        if name == self.section and self.query_one("#prose-text", TextArea).text == self._texts.get(name, ""):
            return
        self.section = name
        self._loading = True
        self.query_one("#prose-text", TextArea).load_text(self._texts.get(name, ""))
        self._loading = False

    def open_section(self, name: str) -> None:
        self.query_one("#section", Chooser).select(name)
        self._load(name)
        self.query_one("#prose-text", TextArea).focus()

    @on(Chooser.Changed, "#section")
    def _section_chosen(self, event: Chooser.Changed) -> None:
        event.stop()
        self._load(event.value)

    @on(TextArea.Changed, "#prose-text")
    def _edited(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._loading or not self.section:
            return
        self._texts[self.section] = event.text_area.text
        self.post_message(self.Changed(self.section, event.text_area.text))

    def action_pick_citation(self) -> None:
        self.post_message(self.PickCitation())

    def insert_reference(self, citation_id: str) -> None:
        area = self.query_one("#prose-text", TextArea)
        area.insert(f"[@{citation_id}]")
        area.focus()
