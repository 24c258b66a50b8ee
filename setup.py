"""Ship the top-level seeds/ and templates/ inside the wheel, so a plain `pip install .` has them."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        here = Path(__file__).parent
        for name in ("seeds", "templates"):
            target = Path(self.build_lib) / "briefkit" / "_data" / name
            shutil.copytree(here / name, target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(".briefkit", "__pycache__"))


setup(cmdclass={"build_py": BuildWithData})
