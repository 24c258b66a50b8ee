"""F1: how to get from sources to an exported brief, and which keys do what where."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

STEPS = """\
[b]From sources to an exported brief[/b]
 1. [b]/[/b] and type; [b]Enter[/b] opens the highlighted passage in the reader.
 2. [b]n[/b] in Positions adds one; citations go to the highlighted position.
 3. In the reader: [b]↓[/b] next sentence, [b]shift+↓[/b] extend, [b]c[/b] cite.
 4. [b]F3[/b] prose ([b]ctrl+o[/b] inserts a \\[@citation]), [b]F4[/b] preview.
 5. [b]F7[/b] sets the title, author, audience and the rest of the title block.
 6. [b]ctrl+e[/b] exports Word or Markdown, with footnotes.
Autosave runs a few seconds after each change; [b]ctrl+s[/b] saves now."""

KEY_WIDTH = 16
KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Anywhere", (
        ("/", "search passages (in a text field it is typed: tab out first)"),
        ("tab  ⇧tab", "next / previous pane or field (the prose editor too)"),
        ("F2 … F6", "reader, prose, preview, problems, suggestions"),
        ("F7", "brief details: title, subtitle, author, organisation, audience, date, template, style"),
        ("F8", "review comments from Word (its tab shows once a reviewed file was imported)"),
        ("ctrl+e", "export to Word or Markdown"),
        ("ctrl+s", "save now"),
        ("ctrl+z", "undo a change to positions or citations"),
        ("ctrl+p", "every action, by name"),
        ("ctrl+q", "quit (asks when there are unsaved changes)"),
    )),
    ("Sources pane: search box and list", (
        ("↓ ↑", "move through the results"),
        ("enter", "open the source at the highlighted passage"),
        ("esc", "clear the search"),
        ("a", "add sources: files or folders, or one file with its id (in the list)"),
        ("✎N", "by a source: this brief cites it N times"),
        ("E", "edit the highlighted source's title, authors, date, URL"),
    )),
    ("Reader", (
        ("↓ ↑  j k", "next / previous sentence"),
        ("] [  l h", "next / previous paragraph"),
        ("space  b", "page down / up (or pgdn pgup)"),
        ("⇧↓ ⇧↑  J K", "extend / shrink the selection"),
        ("v  esc", "start / clear a selection"),
        ("c", "cite the selection (or the sentence) into the position the title names"),
    )),
    ("Positions", (
        ("n", "new position"),
        ("e  enter", "edit the position, or a citation's stance and note"),
        ("d", "delete (ctrl+z brings it back)"),
        ("⇧↑ ⇧↓  K J", "move up / down"),
        ("m", "move a citation to another position"),
        ("t", "cycle a citation's stance"),
        ("g", "go to a citation in its source"),
        ("s", "suggest related passages not yet cited"),
    )),
    ("Prose editor", (
        ("ctrl+o", "insert a [@citation] reference"),
        ("ctrl+t", "indent (Tab moves to the next pane)"),
        ("home  end", "start / end of the paragraph"),
        ("ctrl+home  end", "start / end of the section"),
        ("ctrl+z  ctrl+y", "undo / redo typing"),
    )),
    ("Suggestions, problems, choosers", (
        ("enter", "on the line above prose or preview: choose the section or template"),
        ("enter  c", "open / cite a suggested passage"),
        ("enter", "jump to where a problem is"),
    )),
    ("Review", (
        ("enter", "jump to the commented element"),
        ("x", "resolve / reopen the comment (a refused quote change too)"),
        ("r", "reply (it goes out as a Word reply on the next export)"),
    )),
)


def help_text() -> Group:
    parts: list[RenderableType] = [Text.from_markup(STEPS)]
    for area, rows in KEYS:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True, width=KEY_WIDTH)
        table.add_column()
        for keys, does in rows:
            table.add_row(Text(f" {keys}"), Text(does))
        parts += [Text(""), Text(area, style="bold underline"), table]
    parts.append(Text("\nCited passages are underlined in the reader. esc closes this help.", style="dim"))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            with VerticalScroll(id="help-scroll"):
                yield Static(help_text())

    def action_close(self) -> None:
        self.dismiss(None)
