"""The prose editor: one Markdown text per section the template expects (or the brief already has).

Tab and shift+Tab leave the editor, as they leave every other pane (Tab used to indent, and four
of them left 16 spaces in a summary); ctrl+t indents. Home and End go to the ends of the
paragraph (a line of the text, however many rows it wraps to), ctrl+Home and ctrl+End to the
ends of the section.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Location

from briefkit.brief.counts import Budgets, SectionBudget, SectionLength
from briefkit.tui.widgets.chooser import Chooser


INDENT = "    "


class ProseArea(TextArea):
    """The section's text: a TextArea whose keys suit prose rather than code."""

    BINDINGS = [
        Binding("home", "paragraph_edge(-1)", "Paragraph start", show=False),
        Binding("end", "paragraph_edge(1)", "Paragraph end", show=False),
        Binding("shift+home", "paragraph_edge(-1, True)", "Select to paragraph start", show=False),
        Binding("shift+end", "paragraph_edge(1, True)", "Select to paragraph end", show=False),
        Binding("ctrl+home", "text_edge(-1)", "Start of section", show=False),
        Binding("ctrl+end", "text_edge(1)", "End of section", show=False),
        Binding("ctrl+shift+home", "text_edge(-1, True)", "Select to start", show=False),
        Binding("ctrl+shift+end", "text_edge(1, True)", "Select to end", show=False),
        Binding("ctrl+t", "indent", "Indent"),
    ]

    def action_paragraph_edge(self, step: int, select: bool = False) -> None:
        row = self.cursor_location[0]
        self.move_cursor((row, 0 if step < 0 else len(self.document[row])), select=select)

    def action_text_edge(self, step: int, select: bool = False) -> None:
        target: Location = (0, 0) if step < 0 else self.document.end
        self.move_cursor(target, select=select)

    def action_indent(self) -> None:
        self.insert(INDENT)


class ProseEditor(Vertical):
    """Pick a section, write it; `ctrl+o` asks for a citation reference to insert at the cursor."""

    DEFAULT_CSS = """
    ProseEditor { height: 1fr; }
    /* No border, focused or not: TextArea's own `:focus` border would lay out (and repaint)
       the whole screen on every focus change, and shift the text by a row and a column. */
    ProseEditor > TextArea, ProseEditor > TextArea:focus { height: 1fr; border: none; padding: 0 1; }
    ProseEditor > #prose-count { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    ProseEditor > #prose-count.over { color: $error; }
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
        self.budgets = Budgets()  # the template's, set by the app with the brief's length
        self.whole = ""  # the whole brief's length as last rendered

    def compose(self) -> ComposeResult:
        yield Chooser("Section", id="section")
        yield Static("", id="prose-count", markup=False)
        yield ProseArea(id="prose-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")

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
        self._show_count()

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
        self._show_count()
        self.post_message(self.Changed(self.section, event.text_area.text))

    def set_length(self, budgets: Budgets, whole: str) -> None:
        """The template's budgets and the whole brief's length (`850/1500 words, about 4.6/2 pages`)."""
        self.budgets, self.whole = budgets, whole
        self._show_count()

    def _show_count(self) -> None:
        """The section's words (and lines, if budgeted) against its budget, live as the analyst types."""
        if not self.section:
            return
        length = SectionLength.of(self.section, self._texts.get(self.section, ""),
                                  self.budgets.sections.get(self.section, SectionBudget()))
        line = length.shown() + (" · over budget" if length.over() else "")
        count = self.query_one("#prose-count", Static)
        text = line + (f" · brief: {self.whole}" if self.whole else "")
        lines = 1 if cell_len(text) <= count.size.width - 2 else 2  # its padding; at most 2 lines
        count.update(text, layout=lines != count.size.height)  # a layout of the screen costs 10 ms a key
        count.set_class(bool(length.over()), "over")

    def current(self) -> tuple[str, str] | None:
        """(section, text) as the text area holds it now, `Changed` posted or not: the app takes
        it before saving, quitting or exporting, so no keystroke is left behind."""
        if not self.section or self._loading:
            return None
        text = self.query_one("#prose-text", TextArea).text
        self._texts[self.section] = text
        return self.section, text

    def action_pick_citation(self) -> None:
        self.post_message(self.PickCitation())

    def insert_reference(self, citation_id: str) -> None:
        area = self.query_one("#prose-text", TextArea)
        area.insert(f"[@{citation_id}]")
        area.focus()
