"""Every app action in the command palette (ctrl+p), by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, help, action): the palette's table; actions are the app's.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Search passages", "Focus the search box (/)", "focus_search"),
    ("Reader", "Show the source reader (F2)", "show_reader"),
    ("Prose", "Edit the brief's sections (F3)", "show_side('prose')"),
    ("Preview", "The brief rendered through its template (F4)", "show_side('preview')"),
    ("Problems", "Findings of briefkit check (F5)", "show_side('problems')"),
    ("Add sources…", "Files or folders into the library; re-anchors updated sources (a in the list)",
     "add_sources"),
    ("Edit source metadata…", "Title, authors, date, URL of the highlighted source (E in the list)",
     "edit_source"),
    ("Brief details…", "Title, subtitle, author, organisation, audience, date, template, style (F7)",
     "edit_details"),
    ("Suggest evidence", "Passages related to the current position, not yet cited (s)", "suggest"),
    ("New position", "Add a position after the current one (n)", "new_position"),
    ("Edit position or citation", "Title, holder, summary; or stance and note (e)", "edit_item"),
    ("Delete position or citation", "Undo brings it back (d)", "delete_item"),
    ("Move up", "Move the position or citation up (shift+up)", "move_item(-1)"),
    ("Move down", "Move the position or citation down (shift+down)", "move_item(1)"),
    ("Move citation to position", "Re-file the citation under another position (m)", "move_citation"),
    ("Cycle stance", "supports → opposes → context (t)", "cycle_stance"),
    ("Go to citation", "Open the citation's source at the quote (g)", "goto_citation"),
    ("Insert citation reference", "Insert [@id] into the prose (ctrl+o)", "insert_reference"),
    ("Undo", "Undo the last change to positions or citations (ctrl+z)", "undo"),
    ("Save", "Write the brief now (ctrl+s)", "save"),
    ("Export", "Word or Markdown, with footnotes (ctrl+e)", "export"),
    ("Help", "Keys and layout (F1)", "help"),
    ("Quit", "Asks when there are unsaved changes (ctrl+q)", "quit"),
)


class BriefkitCommands(Provider):
    async def discover(self) -> Hits:
        for title, help_text, action in COMMANDS:
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.app.run_action, action), help=help_text)
