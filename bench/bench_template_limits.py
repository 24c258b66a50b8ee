"""What the template limits cost: the export benchmark's brief (1,000 citations over 200 sources)
rendered through its template in the bounded sandbox and in Jinja2's plain sandbox, in process.

Prints the median render time of each and their ratio (target: bounded / plain <= 1.2), and the
render's share of a whole Markdown export. Run: python bench/bench_template_limits.py [--runs N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import jinja2
from bench_export import make_brief, make_library
from jinja2.sandbox import SandboxedEnvironment

from briefkit.brief.check import check_brief
from briefkit.brief.store import load_brief
from briefkit.library.library import Library
from briefkit.render.context import build_context
from briefkit.render.export import export_brief
from briefkit.render.parse import prose_citations
from briefkit.render.templates import Templates


def median_time(run: Callable[[], object], runs: int) -> float:
    run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    rng = random.Random(20261123)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_library(root, 200, rng)
        brief = load_brief(make_brief(root, 1000, rng))
        library = Library.open(root)
        templates = Templates(root)
        info = templates.get(brief.template)
        report = check_brief(brief, library, prose_citations)

        def context() -> dict[str, object]:
            return build_context(brief, library, report.verifications, info.sections, {})

        def bounded() -> str:
            return templates.render(info.name, context())

        def plain() -> str:
            bounded_env = templates.environment()
            env = SandboxedEnvironment(
                loader=bounded_env.loader, undefined=jinja2.StrictUndefined, finalize=bounded_env.finalize,
                autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            )
            env.filters.update({k: bounded_env.filters[k] for k in ("markdown", "escape_md")})
            return env.get_template(info.path.name).render(**context())

        assert bounded() == plain(), "the bounded sandbox must render the same text"
        t_bounded = median_time(bounded, args.runs)
        t_plain = median_time(plain, args.runs)
        t_export = median_time(lambda: export_brief(brief, "md", root / "out.md"), max(3, args.runs // 3))
        print(f"brief: 1000 citations over 200 sources; median of {args.runs} renders (compile included)")
        print(f"render, plain sandbox    {t_plain * 1000:7.1f} ms")
        print(f"render, bounded sandbox  {t_bounded * 1000:7.1f} ms")
        print(f"ratio bounded / plain = {t_bounded / t_plain:.2f} (target <= 1.2)")
        print(f"whole export --to md (in process) {t_export * 1000:7.1f} ms; limits add "
              f"{(t_bounded - t_plain) / t_export:.1%} of it")


if __name__ == "__main__":
    main()
