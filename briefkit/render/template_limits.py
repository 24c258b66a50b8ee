"""Bounded template rendering: a time limit, an output-size limit, and no single step that can
allocate without bound.

A template is code a user may have copied from anywhere, and the TUI renders it in a thread
worker, where SIGALRM cannot reach. So the bounds are built into the code Jinja2 generates:

- every block body (each loop iteration, each branch, each macro call) starts with a checkpoint
  that compares the clock with the deadline, instead of the `pass` Jinja writes there;
- output is counted as it is produced, at the top level and in every buffer (macros, `set`
  blocks, filter blocks), so nothing longer than the limit is ever assembled;
- the operators and calls that make a large value in one step in C (`'a' * n`, `10 ** n`,
  `'%0*d'`, `s.ljust(n)`, `x|center(n)`, `[s] * n | join`) are checked before they run, and any
  string or list a template makes longer than the output limit stops the render.

Without these, `{{ 10 ** 1000000000 }}` and nested loops ran until killed.
"""

from __future__ import annotations

import functools
import re
import string
import time
from collections.abc import Callable, Generator, Iterable, Sized
from typing import Any

from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import SandboxedEnvironment

from briefkit.render.render_limits import RenderLimits

# Python prints at most 4,300 digits of an int (sys.int_info.default_max_str_digits); a number of
# 100,000 bits (30,000 digits) is already far past anything a brief shows, and still cheap to make.
MAX_INT_BITS = 100_000

_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMAT_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?")


class RenderLimitError(Exception):
    """A template went past a limit; `render` turns it into a TemplateError naming file and line."""


class _Buffer(list[str]):
    """The list Jinja collects a macro's or block's output in, counting as it grows."""

    def __init__(self, env: BoundedEnvironment) -> None:
        super().__init__()
        self._env = env
        self._size = 0

    def append(self, item: str) -> None:
        self._grow(len(item))
        super().append(item)

    def extend(self, items: Iterable[str]) -> None:
        items = tuple(items)
        self._grow(sum(len(i) for i in items))
        super().extend(items)

    def _grow(self, n: int) -> None:
        self._size += n
        if self._size > self._env.limits.max_output:
            raise self._env.too_long()


class _CheckpointGenerator(CodeGenerator):
    """Jinja's code generator with a clock check opening every block body and counted buffers."""

    def blockvisit(self, nodes: Iterable[Any], frame: Frame) -> None:
        self.writeline("environment.checkpoint()")
        super().blockvisit(nodes, frame)

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.output_buffer()")

    def visit_Concat(self, node: Any, frame: Frame) -> None:
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


class BoundedEnvironment(SandboxedEnvironment):
    """A sandbox that refuses work past its limits; make one per render (it holds the deadline)."""

    code_generator_class = _CheckpointGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, limits: RenderLimits, **options: Any) -> None:
        super().__init__(**options)
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.globals.pop("lipsum", None)  # a Python loop of any length, out of the clock's reach
        for name in ("center", "indent", "format", "join", "replace"):
            self.filters[name] = self._bounded_filter(self.filters[name])

    def checkpoint(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimitError(
                f"the template ran longer than {self.limits.seconds:g} s (a loop without end? "
                "for a very long brief raise the limit: export --template-time-limit SECONDS)"
            )

    def output_buffer(self) -> _Buffer:
        return _Buffer(self)

    def too_long(self) -> RenderLimitError:
        return RenderLimitError(
            f"the template made more than {self.limits.max_output / 1e6:g} MB of text (for a very "
            "long brief raise the limit: export --template-max-output MB)"
        )

    def generate_bounded(self, chunks: Generator[str, None, None]) -> str:
        """Join a template's top-level output, stopping as soon as it passes the limit (the error is
        thrown into the template at the output that went past it, so it names that line)."""
        parts: list[str] = []
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > self.limits.max_output:
                chunks.throw(self.too_long())
            parts.append(chunk)
        return "".join(parts)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self._check_binop(operator, left, right)
        return self.bounded(self.binop_table[operator](left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name in _WIDTH_METHODS:
                __self._check_widths(args, kwargs)
            elif name in ("format", "format_map"):
                __self._check_format(owner, (*args, *kwargs.values()))
            elif name == "join" and args:
                __self._check_join(args[0])
            elif name == "replace" and len(args) >= 2:
                __self._check_replace(owner, args[0], args[1])
        return __self.bounded(super().call(__context, __obj, *args, **kwargs))

    def _bounded_filter(self, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)  # keeps Jinja's pass_context/pass_eval_context marker
        def bounded(*args: Any, **kwargs: Any) -> Any:
            name = func.__name__
            value = next((a for a in args if isinstance(a, str | list | tuple)), None)
            if name == "do_center":
                self._check_widths(args[1:], kwargs)
            elif name == "do_indent" and isinstance(value, str):
                self._check_indent(value, (*args[1:], *kwargs.values()))
            elif name == "do_format" and isinstance(value, str):
                self._check_printf(value, args[args.index(value) + 1:] + tuple(kwargs.values()))
            elif name == "do_join" and value is not None:
                self._check_join(value)
            elif name == "do_replace" and isinstance(value, str):
                rest = [a for a in args if isinstance(a, str)]
                if len(rest) >= 3:
                    self._check_replace(rest[0], rest[1], rest[2])
            return self.bounded(func(*args, **kwargs))

        return bounded

    def bounded(self, value: Any) -> Any:
        """`value`, unless it is a string or list longer than the output limit."""
        if isinstance(value, str | list | tuple) and len(value) > self.limits.max_output:
            raise self.too_long()
        return value

    def _check_binop(self, op: str, left: Any, right: Any) -> None:
        limit = self.limits.max_output
        if op == "**" and _is_int(left) and _is_int(right) and right > 0:
            if abs(left) > 1 and abs(left).bit_length() * right > MAX_INT_BITS:
                raise RenderLimitError(f"{left} ** {right} is too large a number for a template")
        elif op == "*":
            if _is_int(left) and _is_int(right):
                if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise RenderLimitError("too large a number for a template")
            else:
                seq, count = (left, right) if _is_int(right) else (right, left)
                if isinstance(seq, str | list | tuple) and _is_int(count) and len(seq) * count > limit:
                    raise self.too_long()
        elif op == "+" and isinstance(left, Sized) and isinstance(right, Sized):
            if isinstance(left, str | list | tuple) and len(left) + len(right) > limit:
                raise self.too_long()
        elif op == "%" and isinstance(left, str):
            self._check_printf(left, right)

    def _check_widths(self, args: Iterable[Any], kwargs: dict[str, Any]) -> None:
        for value in (*args, *kwargs.values()):
            if _is_int(value) and value > self.limits.max_output:
                raise self.too_long()
            if isinstance(value, str) and len(value) > self.limits.max_output:
                raise self.too_long()

    def _check_printf(self, fmt: str, args: Any) -> None:
        specs = list(_PRINTF_SPEC.finditer(fmt))
        for match in specs:
            for width in match.groups():
                if width == "*":
                    raise RenderLimitError("'*' widths in a format string are not allowed in templates")
                if width and int(width) > self.limits.max_output:
                    raise self.too_long()
        self._check_fields(len(fmt), len(specs), args)

    def _check_format(self, fmt: str, args: tuple[Any, ...]) -> None:
        fields = 0
        for _, name, spec, _ in string.Formatter().parse(fmt):
            fields += name is not None
            if not spec:
                continue
            if "{" in spec:
                raise RenderLimitError("nested format widths are not allowed in templates")
            match = _FORMAT_SPEC.match(spec)
            if match and any(w and int(w) > self.limits.max_output for w in match.groups()):
                raise self.too_long()
        self._check_fields(len(fmt), fields, args)

    def _check_fields(self, size: int, fields: int, args: Any) -> None:
        """A format string prints each field once: `fields` copies of the longest argument at most."""
        values = args.values() if isinstance(args, dict) else args if isinstance(args, tuple) else (args,)
        longest = max((len(v) for v in values if isinstance(v, str)), default=0)
        if size + fields * longest > self.limits.max_output:
            raise self.too_long()

    def _check_indent(self, text: str, args: tuple[Any, ...]) -> None:
        width = args[0] if args else 4
        per_line = width if _is_int(width) else len(width) if isinstance(width, str) else 0
        if len(text) + (text.count("\n") + 1) * per_line > self.limits.max_output:
            raise self.too_long()

    def _check_join(self, items: Any) -> None:
        if isinstance(items, list | tuple):
            if sum(len(i) for i in items if isinstance(i, str)) > self.limits.max_output:
                raise self.too_long()

    def _check_replace(self, text: str, old: str, new: str) -> None:
        if len(new) > len(old):
            grows = (text.count(old) if old else len(text) + 1) * (len(new) - len(old))
            if len(text) + grows > self.limits.max_output:
                raise self.too_long()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)

