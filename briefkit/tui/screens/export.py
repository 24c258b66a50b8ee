"""The export dialog: format, copy, file, template, citation style and reference document,
returned as one request.

One line per field, so the dialog fits a 24-row terminal with room to spare. The citation style
is a field with a chooser: typing filters the installed styles (name or title) in a list that
drops over the fields below, Up/Down move in it and Enter takes the highlighted style; a .csl
file may be typed instead. The style chosen is for this export only (F7 sets the brief's).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, RadioButton, RadioSet, Select, Static
from textual.widgets.option_list import Option

from briefkit.render.csl.catalogue import StyleInfo, catalogue, search

FORMATS = (("docx", "Word (.docx)"), ("pdf", "PDF"), ("md", "Markdown (.md)"))
COPIES = (("principal", "Principal’s"), ("reviewer", "Reviewer’s (all parts)"))
STYLED = ("docx", "pdf")  # the formats a reference document's styles apply to
SHOWN = 100  # styles listed at most; typing more letters narrows the ~10,800


@dataclass(frozen=True, slots=True)
class ExportRequest:
    fmt: str
    out: Path
    template: str
    reference_doc: Path | None
    copy: str = "principal"
    style: str | None = None  # None: the brief's own


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Paths are shown relative to the brief's folder and resolved against it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, folder: Path, stem: str, templates: list[tuple[str, str]], template: str,
                 style: str) -> None:
        super().__init__()
        self.folder = folder
        self.stem = stem
        self.templates = templates
        self.template = template
        self.style = style
        self.known: list[StyleInfo] = []  # filled by a worker: the catalogue takes 0.2-5 s

    def compose(self) -> ComposeResult:
        known = any(name == self.template for _, name in self.templates)
        with Vertical(classes="dialog form"):
            yield Label("Export the brief", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Format", classes="field-label")
                with RadioSet(id="format", compact=True):
                    for i, (key, label) in enumerate(FORMATS):
                        yield RadioButton(label, value=i == 0, id=f"fmt-{key}")
            with Horizontal(classes="field"):
                yield Label("Copy", classes="field-label")
                with RadioSet(id="copy", compact=True):
                    for i, (key, label) in enumerate(COPIES):
                        yield RadioButton(label, value=i == 0, id=f"copy-{key}")
            with Horizontal(classes="field"):
                yield Label("File", classes="field-label")
                yield Input(f"{self.stem}.docx", id="out", compact=True)
            with Horizontal(classes="field"):
                yield Label("Template", classes="field-label")
                yield Select(self.templates, value=self.template if known else Select.BLANK,
                             allow_blank=not known, id="template", compact=True)
            with Horizontal(classes="field"):
                yield Label("Citations", classes="field-label")
                yield StyleInput(self.style, placeholder="style name or .csl file", id="style", compact=True)
            yield OptionList(id="style-list", compact=True)
            with Horizontal(classes="field"):
                yield Label("Styles", classes="field-label")
                yield Input(placeholder="reference .docx (optional)", id="reference", compact=True)
            yield Static("File names are relative to the brief's folder.", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("enter export · tab next field · esc cancel", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#style-list", OptionList).can_focus = False  # typing stays in the field
        self.query_one("#out", Input).focus()
        self._load_styles()

    @work(thread=True, exclusive=True)
    def _load_styles(self) -> None:
        styles = catalogue()
        self.app.call_from_thread(self._styles_loaded, styles)

    def _styles_loaded(self, known: list[StyleInfo]) -> None:
        self.known = known
        if self._choosing():
            self._fill_styles(self.query_one("#style", Input).value)

    def _choosing(self) -> bool:
        return self.query_one("#style-list", OptionList).has_class("-open")

    def _fill_styles(self, words: str) -> None:
        """The styles matching what is typed, the one typed exactly highlighted."""
        hits = search(self.known, words)
        options = [Option(Text.assemble(i.name, ("  " + i.title, "dim"), no_wrap=True, overflow="ellipsis"),
                          id=i.name) for i in hits[:SHOWN]]
        if len(hits) > SHOWN:
            options.append(Option(f"… {len(hits) - SHOWN:,} more: type more of a name or title", disabled=True))
        elif not hits:
            options.append(Option("no style has these words (a .csl file is used as typed)"
                                  if self.known else "reading the styles…", disabled=True))
        chooser = self.query_one("#style-list", OptionList)
        chooser.set_options(options)
        chooser.highlighted = next((n for n, i in enumerate(hits[:SHOWN]) if i.name == words), 0) if hits else None
        chooser.add_class("-open")

    @on(Input.Changed, "#style")
    def _style_typed(self, event: Input.Changed) -> None:
        if event.input.has_focus:
            self._fill_styles(event.value)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id == "style":
            self._fill_styles(self.query_one("#style", Input).value)
        else:
            self.query_one("#style-list", OptionList).remove_class("-open")

    def action_move_style(self, step: int) -> None:
        chooser = self.query_one("#style-list", OptionList)
        if not self._choosing():
            self._fill_styles(self.query_one("#style", Input).value)
        elif chooser.option_count:
            chooser.highlighted = max(0, min((chooser.highlighted or 0) + step, chooser.option_count - 1))

    def _pick_style(self, name: str) -> None:
        field = self.query_one("#style", Input)
        with field.prevent(Input.Changed):  # a picked style is not a new search
            field.value = name
        self.query_one("#style-list", OptionList).remove_class("-open")

    @on(OptionList.OptionSelected, "#style-list")
    def _style_clicked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._pick_style(event.option.id)

    def _fmt(self) -> str:
        index = self.query_one("#format", RadioSet).pressed_index
        return FORMATS[max(index, 0)][0]

    def _copy(self) -> str:
        return COPIES[max(self.query_one("#copy", RadioSet).pressed_index, 0)][0]

    @on(RadioSet.Changed, "#format")
    def _format_changed(self) -> None:
        out = self.query_one("#out", Input)
        path = Path(out.value or self.stem)
        out.value = str(path.with_suffix("." + self._fmt()))
        self.query_one("#reference", Input).disabled = self._fmt() not in STYLED

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the style field takes the highlighted style while the list is open."""
        chooser = self.query_one("#style-list", OptionList)
        if event.input.id == "style" and self._choosing() and chooser.highlighted is not None:
            option = chooser.get_option_at_index(chooser.highlighted)
            if option.id is not None:
                self._pick_style(option.id)
                return
        self._export()

    def _chosen_style(self) -> str | None:
        """None for the brief's own style; a typed .csl file is relative to the brief's folder."""
        style = self.query_one("#style", Input).value.strip()
        if not style or style == self.style:
            return None
        if style.endswith(".csl") or Path(style).parent != Path("."):
            return str((self.folder / Path(style).expanduser()).resolve())
        return style

    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        out = self.query_one("#out", Input).value.strip()
        if not out:
            self.notify("Give a file name.", severity="warning")
            return
        reference = self.query_one("#reference", Input).value.strip()
        template = self.query_one("#template", Select).value
        self.dismiss(ExportRequest(
            self._fmt(),
            (self.folder / Path(out).expanduser()).resolve(),
            template if isinstance(template, str) else self.template,
            (self.folder / Path(reference).expanduser()).resolve() if reference and self._fmt() in STYLED else None,
            self._copy(),
            self._chosen_style(),
        ))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Escape closes the style list first, then the dialog."""
        if self._choosing():
            self.query_one("#style-list", OptionList).remove_class("-open")
            return
        self.dismiss(None)


class StyleInput(Input):
    """The style field: Up and Down move in the list of styles below it."""

    BINDINGS = [
        Binding("down", "screen.move_style(1)", show=False),
        Binding("up", "screen.move_style(-1)", show=False),
    ]
