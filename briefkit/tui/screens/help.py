"""F1: how the screen is laid out and which keys do what."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# briefkit

Read sources, cite passages into positions, write the prose, export with footnotes.

| Where | Key | Does |
|---|---|---|
| anywhere | `/` | search passages (Enter opens the hit) |
| | `F2` `F3` `F4` `F5` `F6` | reader, prose, preview, problems, suggestions |
| | `tab` / `shift+tab` | next / previous pane |
| | `ctrl+s` | save (autosave runs a few seconds after each change) |
| | `ctrl+e` | export to Word or Markdown |
| | `ctrl+z` | undo the last change to positions or citations |
| | `ctrl+p` | every action, by name |
| | `ctrl+q` | quit (asks when there are unsaved changes) |
| reader | `↑` `↓` / `k` `j` | previous / next sentence |
| | `[` `]` / `h` `l` | previous / next paragraph |
| | `shift+↓` `shift+↑` / `J` `K` | extend / shrink the selection |
| | `v`, `esc` | start / clear a selection |
| | `c` | cite the selection (or the sentence) into the current position |
| positions | `n` | new position |
| | `e`, `enter` | edit the position or the citation (stance, note) |
| | `d` | delete (`ctrl+z` brings it back) |
| | `shift+↑` `shift+↓` / `K` `J` | move up / down |
| | `m` | move a citation to another position |
| | `t` | cycle a citation's stance |
| | `g` | go to a citation in its source |
| | `s` | suggest related passages not yet cited |
| prose | `ctrl+o` | insert a `[@citation]` reference |
| suggestions | `enter` / `c` | open / cite the passage |
| problems | `enter` | jump to where to fix it |

Cited passages are underlined in the reader. The first position is current until you pick
another in the outline.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            with VerticalScroll():
                yield Markdown(HELP)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
