"""Brief templates: discovery (brief folder, user folder, shipped) and a sandboxed Jinja2 environment.

A template is `NAME.md.j2` rendering Markdown. Its metadata sits in a leading Jinja comment holding
YAML, so one file is the whole template:

    {#- briefkit-template
    title: Options memo
    description: Bottom line up front, then each option with its evidence.
    sections: [summary, background, recommendation]
    reference-docx: house-style.docx      # optional, relative to the template
    budgets: {summary: {max_words: 150}, pages: 2}
    checks: {evidence-for-and-against: on, source-age: {max_years: 5}}
    -#}

`budgets` and `checks` are read here into the brief layer's `Budgets` and rule settings.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from briefkit import yamlio
from briefkit.brief.counts import BRIEF_KEYS, Budgets, SectionBudget
from briefkit.brief.editorial import RULES, Settings, default_settings
from briefkit.errors import TemplateError
from briefkit.fsio import atomic_write
from briefkit.render import run_cache, template_limits
from briefkit.render.markdown_text import Markdown, escape
from briefkit.render.render_limits import RenderLimits
from briefkit.render.template_limits import BoundedEnvironment, RenderLimitError
from briefkit.render.template_paths import search_path, user_template_dir

SUFFIX = ".md.j2"
_HEADER = re.compile(r"\A\{#-?\s*briefkit-template\s*\n(.*?)-?#\}", re.DOTALL)


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    name: str
    path: Path
    origin: str  # "brief", "user" or "shipped"
    title: str = ""
    description: str = ""
    sections: tuple[str, ...] = ()
    reference_docx: Path | None = None
    shadows: tuple[Path, ...] = field(default=())
    budgets: Budgets = field(default_factory=Budgets)
    checks: Settings = field(default_factory=default_settings)
    copies: Mapping[str, frozenset[str]] | None = None  # copy -> its optional parts; None: one copy


COPIES = ("principal", "reviewer")
"""The copies a template can print: the principal's (the deliverable) and the reviewer's (everything)."""


def read_info(path: Path, origin: str) -> TemplateInfo:
    name = path.name[: -len(SUFFIX)]
    text = yamlio.read_text(path, TemplateError)
    match = _HEADER.match(text)
    meta: Any = {}
    if match:
        # The header's YAML, led by as many blank lines as come before it, so every line a
        # message names is the template file's own.
        lines_before = text.count("\n", 0, match.start(1))
        meta = yamlio.loads("\n" * lines_before + match.group(1), path, TemplateError) or {}
        if not isinstance(meta, dict):
            raise TemplateError("the briefkit-template header must be a mapping", path=path,
                                line=yamlio.line_of(meta) or lines_before + 1)
    sections = meta.get("sections") or []
    if not isinstance(sections, list) or not all(isinstance(s, str) for s in sections):
        raise TemplateError("'sections' must be a list of names", path=path,
                            line=yamlio.line_of(meta, "sections"), field="sections")
    ref = meta.get("reference-docx")
    copies = _copies(meta, path)
    return TemplateInfo(
        name=name,
        path=path,
        origin=origin,
        title=str(meta.get("title") or name),
        description=str(meta.get("description") or ""),
        sections=tuple(sections),
        reference_docx=(path.parent / str(ref)).resolve() if ref else None,
        copies=copies,
        budgets=_budgets(meta, path),
        checks=_checks(meta, path),
    )


def _count(value: Any, path: Path, line: int | None, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TemplateError("must be a whole number above 0", path=path, line=line, field=name)
    return value


def _budgets(meta: Mapping[str, Any], path: Path) -> Budgets:
    """`budgets: {summary: {max_words: 150}, bottom-line: {max_lines: 4}, pages: 2, max_words: 1500}`."""
    raw = meta.get("budgets")
    if raw is None:
        return Budgets()
    if not isinstance(raw, dict):
        raise TemplateError("must be a mapping of section names (and pages, max_words)",
                            path=path, line=yamlio.line_of(meta, "budgets"), field="budgets")
    whole: dict[str, int] = {}
    sections: dict[str, SectionBudget] = {}
    for key, value in raw.items():
        name, line = f"budgets.{key}", yamlio.line_of(raw, key)
        if key in BRIEF_KEYS:
            whole[key] = _count(value, path, line, name)
            continue
        if not isinstance(value, dict) or not value or set(value) - {"max_words", "max_lines"}:
            raise TemplateError(f"must be a mapping with max_words and/or max_lines (or use "
                                f"{' or '.join(BRIEF_KEYS)} for the whole brief)", path=path, line=line, field=name)
        limits = {k: _count(v, path, yamlio.line_of(value, k) or line, f"{name}.{k}") for k, v in value.items()}
        sections[str(key)] = SectionBudget(**limits)
    return Budgets(sections, **whole)


def _checks(meta: Mapping[str, Any], path: Path) -> Settings:
    """`checks: {rule: on | off | {parameter: value}}`; rules not named keep their defaults."""
    settings = default_settings()
    raw = meta.get("checks")
    if raw is None:
        return settings
    if not isinstance(raw, dict):
        raise TemplateError("must be a mapping of rule names to on, off or parameters",
                            path=path, line=yamlio.line_of(meta, "checks"), field="checks")
    for rule, value in raw.items():
        name, line = f"checks.{rule}", yamlio.line_of(raw, rule)
        if rule not in RULES:
            raise TemplateError(f"unknown rule '{rule}' (rules: {', '.join(RULES)})", path=path, line=line,
                                field=name)
        if value is False or value == "off":
            settings.pop(rule, None)
        elif value is True or value == "on":
            settings[rule] = dict(RULES[rule])
        elif isinstance(value, dict):
            params = dict(RULES[rule])
            for key, given in value.items():
                where = yamlio.line_of(value, key) or line
                if key not in params:
                    known = ", ".join(params) or "none"
                    raise TemplateError(f"rule '{rule}' has no parameter '{key}' (parameters: {known})",
                                        path=path, line=where, field=f"{name}.{key}")
                params[key] = _parameter(given, params[key], path, where, f"{name}.{key}")
            settings[rule] = params
        else:
            raise TemplateError("must be on, off or a mapping of parameters", path=path, line=line,
                                field=name)
    return settings


def _parameter(value: Any, default: Any, path: Path, line: int | None, name: str) -> Any:
    """A rule parameter, of its default's kind: a list of words, a whole number or a number above 0."""
    if isinstance(default, list):
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise TemplateError("must be a list of words", path=path, line=line, field=name)
        return [str(v) for v in value]
    if isinstance(default, int):
        return _count(value, path, line, name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise TemplateError("must be a number above 0", path=path, line=line, field=name)
    return float(value)


def _copies(meta: Mapping[str, Any], path: Path) -> dict[str, frozenset[str]] | None:
    """The header's `copies:`, naming the optional parts each copy prints (`principal: [matrix]`,
    `reviewer: [matrix, notes, register]`); parts named nowhere print in every copy."""
    copies = meta.get("copies")
    if copies is None:
        return None
    line = yamlio.line_of(meta, "copies")
    if not isinstance(copies, dict) or not copies:
        raise TemplateError(f"'copies' must map {' and '.join(COPIES)} to lists of part names", path=path,
                            line=line, field="copies")
    parsed: dict[str, frozenset[str]] = {}
    for name, parts in copies.items():
        where = yamlio.line_of(copies, name) or line
        if name not in COPIES:
            raise TemplateError(f"unknown copy '{name}' (choose {', '.join(COPIES)})", path=path, line=where,
                                field="copies")
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            raise TemplateError(f"'copies: {name}' must be a list of part names", path=path, line=where,
                                field="copies")
        parsed[name] = frozenset(parts)
    return {name: parsed.get(name, frozenset()) for name in COPIES}


class Templates:
    """The templates visible from one brief's folder, rendered within `limits`."""

    def __init__(self, brief_dir: Path | None = None, limits: RenderLimits | None = None) -> None:
        self.folders = search_path(brief_dir)
        self.limits = limits or RenderLimits()

    def list(self) -> list[TemplateInfo]:
        found: dict[str, TemplateInfo] = {}
        hidden: dict[str, list[Path]] = {}
        for origin, folder in self.folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob(f"*{SUFFIX}")):
                if path.name.startswith("_"):
                    continue  # partials, included by other templates
                name = path.name[: -len(SUFFIX)]
                if name in found:
                    hidden.setdefault(name, []).append(path)
                else:
                    found[name] = read_info(path, origin)
        return [
            TemplateInfo(**{**_fields(info), "shadows": tuple(hidden.get(info.name, ()))})
            for info in sorted(found.values(), key=lambda i: i.name)
        ]

    def get(self, name: str, field: str | None = None) -> TemplateInfo:
        """The template called `name`; `field` names where the name came from in the message
        for an unknown one (an option, say)."""
        for origin, folder in self.folders:
            path = folder / f"{name}{SUFFIX}"
            if path.is_file():
                return read_info(path, origin)
        names = [i.name for i in self.list()]
        raise TemplateError(f"unknown template '{name}' (available: {', '.join(names) or 'none'})",
                            field=field)

    def environment(self) -> BoundedEnvironment:
        """A fresh sandbox for one render: its clock starts now."""
        env = BoundedEnvironment(
            self.limits,
            loader=jinja2.FileSystemLoader([str(f) for _, f in self.folders if f.is_dir()]),
            undefined=jinja2.StrictUndefined,
            finalize=_finalize,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=compiled_templates(),
        )
        env.filters["markdown"] = Markdown
        env.filters["escape_md"] = lambda v: Markdown(escape(str(v)))
        return env

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render a template to Markdown; every failure names the template file and line."""
        info = self.get(name)
        env = self.environment()
        try:
            template = env.get_template(info.path.name)
            try:
                return env.generate_bounded(template.root_render_func(template.new_context(dict(context))))
            except Exception:
                env.handle_exception()  # re-raised with template files and lines in the traceback
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template syntax error: {exc.message}", path=exc.filename or info.path,
                                line=exc.lineno) from None
        except jinja2.UndefinedError as exc:
            path, line = _template_frame(exc, info.path)
            raise TemplateError(f"undefined variable: {exc.message}", path=path, line=line) from None
        except jinja2.exceptions.SecurityError as exc:
            path, line = _template_frame(exc, info.path)
            raise TemplateError(f"not allowed in a template: {exc}", path=path, line=line) from None
        except jinja2.TemplateError as exc:
            path, line = _template_frame(exc, info.path)
            raise TemplateError(f"template error: {exc}", path=path, line=line) from None
        except RenderLimitError as exc:
            path, line = _template_frame(exc, info.path)
            raise TemplateError(str(exc), path=path, line=line) from None
        except RecursionError as exc:
            path, line = _template_frame(exc, info.path)
            raise TemplateError("the template calls itself without end (a recursive macro or loop, or a "
                                "template that includes or extends itself)", path=path, line=line) from None
        except OverflowError as exc:  # the sandbox's range() limit, float overflow
            path, line = _template_frame(exc, info.path)
            raise TemplateError(f"template error: {exc}", path=path, line=line) from None
        except (TypeError, ValueError, AttributeError, KeyError, ZeroDivisionError, MemoryError) as exc:
            path, line = _template_frame(exc, info.path)
            raise TemplateError(f"template error: {type(exc).__name__}: {exc}", path=path, line=line) from None

    def copy(self, name: str, dest: Path | None = None) -> Path:
        """Start a house template from an existing one (into the user's folder by default).

        `dest` is a file name ending in `.md.j2`, or else a folder to copy into.
        """
        info = self.get(name)
        target = Path(dest) if dest is not None else user_template_dir()
        if not target.name.endswith(SUFFIX):
            target = target / info.path.name
        if target.exists() or target.is_symlink():
            raise TemplateError("already exists; remove it or choose another destination", path=target)
        for folder in (target.parent, *target.parent.parents):
            if folder.exists() and not folder.is_dir():
                raise TemplateError(f"is not a folder: give a folder to copy into, or a file name "
                                    f"ending in {SUFFIX}", path=folder)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TemplateError(f"cannot make the folder to copy into: {exc.strerror}",
                                path=target.parent) from None
        atomic_write(target, info.path.read_bytes(), TemplateError)
        for partial in info.path.parent.glob(f"_*{SUFFIX}"):
            if not (target.parent / partial.name).exists():
                atomic_write(target.parent / partial.name, partial.read_bytes(), TemplateError)
        return target


def compiled_templates() -> jinja2.BytecodeCache | None:
    """Templates compiled by earlier exports, named by their source and kept in the run cache
    (Jinja2 checks each entry against the template's text); a new Jinja2 or a changed sandbox
    compiler gets a folder of its own."""
    place = run_cache.folder(f"jinja-{jinja2.__version__}", Path(template_limits.__file__))
    return jinja2.FileSystemBytecodeCache(str(place)) if place is not None else None


def _fields(info: TemplateInfo) -> dict[str, Any]:
    return {f: getattr(info, f) for f in info.__dataclass_fields__}


def _finalize(value: Any) -> Any:
    """Autoescaping for Markdown: plain values print literally; `Markdown` values are already markup."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        return ""
    return escape(str(value))


def _template_frame(exc: BaseException, default: Path) -> tuple[Path, int | None]:
    """The innermost template file and line in a render traceback (Jinja maps frames to templates)."""
    found: tuple[Path, int | None] = (default, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(SUFFIX):
            found = (Path(frame.filename), frame.lineno)
    return found
