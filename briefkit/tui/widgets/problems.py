"""The problems list: `briefkit check` findings, each a jump to where to fix it; a quote that
needs review shows its recorded context above the one found now, and `a` accepts the new place.

Only the findings in view are drawn (Textual's Line API): as an OptionList, 5,000 findings (a
brief whose quotes all broke) took 3 s of the event loop to show. A finding not drawn yet counts
by an estimate of its height, made exact when it scrolls into view.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefkit.tui.widgets.rowlist import keep_in_view

if TYPE_CHECKING:
    from briefkit.brief.check import Finding


def _text(finding: Finding) -> Text:
    text = Text()
    colour = "red" if finding.severity == "error" else "yellow"
    text.append("✗ " if finding.severity == "error" else "! ", style=f"bold {colour}")
    text.append(finding.message)
    if finding.recorded:
        text.append("\n  recorded:  ", style="dim")
        text.append(finding.recorded)
        text.append("\n  found now: ", style="dim")
        text.append(finding.found)
        text.append("\n  a accepts the new place", style="dim italic")
    return text


def _estimate(finding: Finding, width: int) -> int:
    """Lines a finding is likely to take at `width` (a message; a quote's two contexts and a hint)."""
    width = max(1, width)
    lines = 1 + (len(finding.message) + 2) // width
    if finding.recorded:
        lines += 3 + (len(finding.recorded) + len(finding.found) + 24) // width
    return lines


class ProblemsList(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    ProblemsList { overflow-x: hidden; }
    ProblemsList > .problems-list--highlight { background: $block-cursor-blurred-background; }
    ProblemsList:focus > .problems-list--highlight {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"problems-list--highlight"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept new place"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "edge(-1)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "select", "Go to it"),
    ]

    class JumpRequested(Message):
        def __init__(self, finding: Finding) -> None:
            super().__init__()
            self.finding = finding

    class AcceptRequested(Message):
        """Re-anchor the finding's citation where its text was found (the analyst reviewed it)."""

        def __init__(self, finding: Finding) -> None:
            super().__init__()
            self.finding = finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings: list[Finding] = []
        self.highlighted: int | None = None
        self._drawn: dict[int, list[Strip]] = {}  # findings' lines at `_width`
        self._heights: list[int] = []
        self._tops = [0]  # each finding's first line, then the list's height
        self._width = 0

    def show(self, findings: list[Finding]) -> None:
        keep = self.highlighted
        self.findings = findings
        self._drawn.clear()
        self.highlighted = min(keep or 0, len(findings) - 1) if findings else None
        self._measure()

    # Drawing --------------------------------------------------------------------------------------

    def _measure(self) -> None:
        self._width = self.scrollable_content_region.width
        self._heights = [_estimate(f, self._width) for f in self.findings]
        self._sum_up()

    def _sum_up(self) -> None:
        self._tops = [0, *accumulate(self._heights)]
        self.virtual_size = Size(0, self._tops[-1] if self.findings else 1)
        self._draw_view()
        self.refresh()

    def _lines(self, index: int) -> list[Strip]:
        lines = self._drawn.get(index)
        if lines is None:
            console = self.app.console
            rendered = console.render_lines(_text(self.findings[index]), console.options.update_width(self._width),
                                            pad=False)
            lines = self._drawn[index] = [Strip(line) for line in rendered]
        return lines

    def _draw_view(self) -> None:
        """Draw the findings in view, measuring the list again where their heights were misjudged."""
        for _ in range(8):
            top = self.scroll_offset.y
            first = max(0, bisect_right(self._tops, top) - 1)
            last = min(len(self.findings), bisect_right(self._tops, top + max(1, self.size.height)))
            unseen = [i for i in range(first, last) if i not in self._drawn]
            if not unseen or not self._width:
                return
            for i in unseen:
                self._heights[i] = len(self._lines(i))
            self._tops = [0, *accumulate(self._heights)]
            self.virtual_size = Size(0, self._tops[-1])

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._drawn.clear()
            self._measure()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._draw_view()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not self.findings:
            if y:
                return Strip.blank(width, base)
            return Strip(list(Text("No problems found.", style="green").render(self.app.console))).crop_extend(
                0, width, base).apply_style(base)
        line = self.scroll_offset.y + y
        index = bisect_right(self._tops, line) - 1
        lines = self._drawn.get(index, []) if 0 <= index < len(self.findings) else []
        offset = line - self._tops[index] if lines else 0
        strip = lines[offset] if offset < len(lines) else Strip.blank(width)
        if index == self.highlighted:
            base = base + self.get_component_rich_style("problems-list--highlight")
        return strip.crop_extend(0, width, None).apply_style(base)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # Moving ---------------------------------------------------------------------------------------

    def _highlight(self, index: int) -> None:
        if not self.findings:
            return
        self.highlighted = max(0, min(index, len(self.findings) - 1))
        keep_in_view(self, self._tops[self.highlighted], self._tops[self.highlighted + 1] - 1)
        self.refresh()

    def action_move(self, step: int) -> None:
        self._highlight((self.highlighted or 0) + step if self.highlighted is not None else 0)

    def action_page(self, step: int) -> None:
        line = self._tops[self.highlighted or 0] + step * max(1, self.scrollable_content_region.height)
        self._highlight(bisect_right(self._tops, max(0, line)) - 1)

    def action_edge(self, step: int) -> None:
        self._highlight(0 if step < 0 else len(self.findings) - 1)

    def action_select(self) -> None:
        if self.highlighted is not None and self.findings:
            self.post_message(self.JumpRequested(self.findings[self.highlighted]))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self.findings:
            return
        index = bisect_right(self._tops, self.scroll_offset.y + offset.y) - 1
        if 0 <= index < len(self.findings):
            self._highlight(index)
            self.action_select()

    def action_accept(self) -> None:
        if self.highlighted is None or not self.findings:
            return
        finding = self.findings[self.highlighted]
        if finding.citation and finding.code in ("needs-review", "moved-quote"):
            self.post_message(self.AcceptRequested(finding))
        else:
            self.app.notify("Only a quote that needs review (or moved) has a new place to accept.",
                            severity="warning")
