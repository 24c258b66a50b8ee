"""The problems list: `briefkit check` findings, each a jump to where to fix it; a quote that
needs review shows its recorded context above the one found now, and `a` accepts the new place."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from briefkit.brief.check import Finding


class ProblemsList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "accept", "Accept new place")]

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

    def show(self, findings: list[Finding]) -> None:
        self.findings = findings
        keep = self.highlighted
        if not findings:
            self.set_options([Option(Text("No problems found.", style="green"), disabled=True)])
            return
        options = []
        for i, finding in enumerate(findings):
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
            options.append(Option(text, id=str(i)))
        self.set_options(options)
        self.highlighted = min(keep or 0, len(options) - 1)

    def action_accept(self) -> None:
        if self.highlighted is None or not self.findings:
            return
        finding = self.findings[self.highlighted]
        if finding.citation and finding.code in ("needs-review", "moved-quote"):
            self.post_message(self.AcceptRequested(finding))
        else:
            self.app.notify("Only a quote that needs review (or moved) has a new place to accept.",
                            severity="warning")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.JumpRequested(self.findings[int(event.option.id)]))
