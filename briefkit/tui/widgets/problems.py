"""The problems list: `briefkit check` findings, each a jump to where to fix it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from briefkit.brief.check import Finding


class ProblemsList(OptionList):
    class JumpRequested(Message):
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
            options.append(Option(text, id=str(i)))
        self.set_options(options)
        self.highlighted = min(keep or 0, len(options) - 1)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.JumpRequested(self.findings[int(event.option.id)]))
