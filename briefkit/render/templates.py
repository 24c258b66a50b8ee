"""Brief templates: discovery (brief folder, user folder, shipped) and a sandboxed Jinja2 environment.

A template is `NAME.md.j2` rendering Markdown. Its metadata sits in a leading Jinja comment holding
YAML, so one file is the whole template:

    {#- briefkit-template
    title: Options memo
    description: Bottom line up front, then each option with its evidence.
    sections: [summary, background, recommendation]
    reference-docx: house-style.docx      # optional, relative to the template
    -#}
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from platformdirs import user_data_dir

from briefkit import resources, yamlio
from briefkit.errors import TemplateError
from briefkit.fsio import atomic_write
from briefkit.render.markdown_text import Markdown, escape
from briefkit.render.template_limits import BoundedEnvironment, RenderLimitError, RenderLimits

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


def user_template_dir() -> Path:
    return Path(user_data_dir("briefkit", appauthor=False)) / "templates"


def search_path(brief_dir: Path | None) -> list[tuple[str, Path]]:
    """Folders searched in order: beside the brief, the user's folder, then the shipped templates."""
    folders: list[tuple[str, Path]] = []
    if brief_dir is not None:
        folders.append(("brief", Path(brief_dir) / "templates"))
    folders.append(("user", user_template_dir()))
    folders.append(("shipped", resources.shipped("templates")))
    return folders


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
    return TemplateInfo(
        name=name,
        path=path,
        origin=origin,
        title=str(meta.get("title") or name),
        description=str(meta.get("description") or ""),
        sections=tuple(sections),
        reference_docx=(path.parent / str(ref)).resolve() if ref else None,
    )


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
