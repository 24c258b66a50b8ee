"""The Review tab: the brief's review entries (reviewers' Word comments, and quote changes refused
on import), each a jump to its element; `x` resolves or reopens one, `r` replies to it.

Edits go up as `ReviewList.Edited` for the app to apply to its draft and save by the merge-aware
rules; a jump goes up as the problems list's own `JumpRequested`, so one handler places the
cursor for both.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from briefkit.brief.check import Finding
from briefkit.brief.model import ELEMENT_PATTERN, Brief, ReviewItem
from briefkit.brief.review_thread import reply, set_status
from briefkit.brief.textmerge import word_diff
from briefkit.tui.widgets.problems import ProblemsList


class ReplyScreen(ModalScreen[str | None]):
    """One line of reply to a review entry: Enter sends it, esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, item: ReviewItem) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Reply to {self.item.author or 'the reviewer'}", classes="dialog-title")
            yield Static(Text(_short(self.item.text, 300)), classes="dialog-quote")
            yield Input(placeholder="Your reply (Enter sends, esc cancels)", id="reply-text")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _send(self, event: Input.Submitted) -> None:
        self.dismiss(event.value if event.value.strip() else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "resolve", "Resolve/reopen"),
        Binding("r", "reply", "Reply"),
    ]

    class Edited(Message):
        """Resolve, reopen or reply to review entry `item_id`; `apply` makes the change."""

        def __init__(self, item_id: str, *, status: str | None = None, reply_text: str | None = None) -> None:
            super().__init__()
            self.item_id = item_id
            self.status = status
            self.reply_text = reply_text

        def apply(self, brief: Brief, author: str) -> bool:
            if self.status is not None:
                return set_status(brief, self.item_id, self.status)
            if self.reply_text is not None:
                reply(brief, self.item_id, self.reply_text, author)
                return True
            return False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[ReviewItem] = []
        self._labels: dict[str, str] = {}

    @property
    def open_count(self) -> int:
        return sum(item.status == "open" for item in self.items)

    def show(self, brief: Brief) -> None:
        """List the brief's review entries: open ones first, each under its element."""
        self.items = sorted(brief.review, key=lambda item: item.status != "open")
        keep = self.highlighted
        if not self.items:
            self.set_options([Option(Text("No review comments. Import a reviewed Word file with "
                                          "briefkit review import.", style="dim"), disabled=True)])
            return
        self.set_options([Option(_entry_text(brief, item), id=item.id) for item in self.items])
        self.highlighted = min(keep or 0, len(self.items) - 1)

    def _current(self) -> ReviewItem | None:
        if self.highlighted is None or not self.items:
            return None
        return self.items[self.highlighted]

    def action_resolve(self) -> None:
        item = self._current()
        if item is not None:
            status = "open" if item.status == "resolved" else "resolved"
            self.post_message(self.Edited(item.id, status=status))

    def action_reply(self) -> None:
        item = self._current()
        if item is None:
            return

        def sent(text: str | None) -> None:
            if text:
                self.post_message(self.Edited(item.id, reply_text=text))

        self.app.push_screen(ReplyScreen(item), sent)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = next((i for i in self.items if i.id == event.option.id), None)
        if item is not None:
            self.post_message(ProblemsList.JumpRequested(jump_target(item)))


def jump_target(item: ReviewItem) -> Finding:
    """Where the entry's element is, as a finding the app knows how to jump to."""
    match = ELEMENT_PATTERN.fullmatch(item.element)
    places = match.groupdict() if match else {}
    return Finding("warning", "review", item.text, citation=places.get("citation") or "",
                   position=places.get("position") or "", section=places.get("section") or "")


def _entry_text(brief: Brief, item: ReviewItem) -> Text:
    from briefkit.workflows.review_import import element_label  # python-docx and the review reader: 0.1 s at startup

    text = Text()
    resolved = item.status == "resolved"
    mark = ("✗ " if item.kind == "quote-change" else "● ") if not resolved else "✓ "
    text.append(mark, style="dim" if resolved else "bold red" if item.kind == "quote-change" else "bold yellow")
    text.append(element_label(brief, item.element), style="bold")
    who = ", ".join(part for part in (item.author, item.date[:10]) if part)
    if who:
        text.append(f" · {who}", style="dim")
    if resolved:
        text.append(" · resolved", style="dim italic")
    if item.kind == "quote-change":
        text.append("\n  the reviewer changed the quote: ")
        text.append(_short(word_diff(item.quoted, item.text), 300))
        text.append("\n  not applied: quotes change only in the source; x resolves it", style="dim")
    else:
        text.append("\n  ")
        text.append(_short(item.text, 300))
        if item.quoted:
            text.append(f"\n  on “{_short(item.quoted, 80)}”", style="dim")
    for answer in item.replies:
        text.append(f"\n  ↳ {answer.author or 'reply'}: ", style="dim")
        text.append(_short(answer.text, 200))
    return text


def _short(text: str, limit: int) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"
