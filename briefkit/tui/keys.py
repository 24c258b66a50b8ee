"""One key at a time: a key that moves the focus or opens a dialog takes effect before the next
key is routed.

Textual sends each key to the widget that has the focus when the app takes the key from its
queue; the key then bubbles up to the bindings, which may move the focus or push a dialog. Keys
that arrived in the same burst (typing on a busy event loop, tmux send-keys, a terminal's paste
without bracketed paste) have by then already been sent to the old widget: typed in one go,
"/snapback" ran the outline's `s` and `n` instead of searching, and the text typed after a Tab in
a dialog went into the field that was left. The gate holds later keys until the current one has
travelled up to the app, and what its binding posted has too (when it opened or closed a dialog,
until the screen on top is mounted and focused).

Text typed into a field is not held: a key the focused widget consumes (it says so through
`check_consume_key`) goes no further, so it cannot move the focus. The first other key after
such text waits until the field has taken it in: a ctrl+s, Tab or Enter typed straight after
"summary text" then saves, leaves or submits the whole text (the save ran first, and lost the
last words, when it only waited its turn in the app's queue).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.timer import Timer

# A key whose path cannot be followed (its widget was removed on the way) holds the next one no
# longer than this.
RELEASE_AFTER = 1.0
HOLD_AT_MOST = 3.0  # seconds a `hold` keeps keys waiting if its work never ends


class KeyGate:
    """Passes keys from the terminal to `dispatch` (the app's own routing) one at a time."""

    def __init__(self, app: App[Any], dispatch: Callable[[events.Key], Awaitable[None]]) -> None:
        self.app = app
        self.dispatch = dispatch
        self.held: deque[events.Key] = deque()
        self.busy = False
        self._serial = 0
        self._timer: Timer | None = None
        self._holds = 0
        self._typed_into: DOMNode | None = None  # the field text was sent to since the last other key

    def hold(self) -> Callable[[], None]:
        """Hold keys until the returned function is called: for work in a worker whose result
        the next keys act on (Enter opens a source; the `c` typed after it cites from it)."""
        self._holds += 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            timer.stop()
            self._holds -= 1
            if not self._holds:
                self.app.call_later(self._drain)

        timer = self.app.set_timer(HOLD_AT_MOST, release, name="key-hold")
        return release

    async def receive(self, event: events.Key) -> None:
        self.held.append(event)
        if not self.busy:
            await self._drain()

    async def _drain(self) -> None:
        while self.held and not self.busy and not self._holds:
            event = self.held.popleft()
            focused = self.app.focused
            if focused is not None and focused.check_consume_key(event.key, event.character):
                self._typed_into = focused
                await self.dispatch(event)
                continue
            self.busy = True
            self._serial += 1
            serial = self._serial
            self._timer = self.app.set_timer(RELEASE_AFTER, partial(self._release, serial), name="key-gate")
            if self._typed_into is not None:  # the field's queue holds the text: let it go first
                field, self._typed_into = self._typed_into, None
                self.held.appendleft(event)
                field.call_later(self.app.call_later, self._release, serial)
                continue
            target: DOMNode = focused or self.app.screen
            screen = self.app.screen
            await self.dispatch(event)
            target.call_later(self._follow, target, serial, screen, 1)

    def _follow(self, node: DOMNode, serial: int, screen: DOMNode, again: int) -> None:
        """Runs once `node` has handled what was queued before: follow the key up the DOM.

        The first pass ends once the app's bindings have run. A binding often acts by posting a
        message (an Input's Enter posts Submitted, which a dialog answers by closing), so a
        second pass from the focused widget lets those messages bubble up too."""
        parent = node.parent
        if parent is not None:
            parent.call_later(self._follow, parent, serial, screen, again)
        elif self.app.screen is not screen:  # a dialog opened or closed: wait until it is set up
            self.app.screen.call_later(self.app.call_later, self._release, serial)
        elif again:
            start: DOMNode = self.app.focused or self.app.screen
            start.call_later(self._follow, start, serial, screen, again - 1)
        else:
            self.app.call_later(self._release, serial)

    async def _release(self, serial: int) -> None:
        """Runs in the app's task, like `receive`."""
        if serial != self._serial or not self.busy:
            return  # the other of timer and path already released this key
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.busy = False
        await self._drain()
