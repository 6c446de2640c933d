"""Binder (repo2docker) installs the book with everything the notebooks need, and runs them in quick mode.

The full check (a fresh venv with the `book` extra, one application chapter run in it) downloads TensorFlow and
takes minutes: it runs only with LSTM_BOOK_HEAVY=1, as `make binder-check` sets it."""
import configparser
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_package import PACKAGING, pypi_reachable, sh

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
CFG = configparser.ConfigParser(delimiters=["="])
CFG.read(ROOT / "settings.ini", encoding="utf-8")
CFG = CFG["DEFAULT"]
HEAVY = os.environ.get("LSTM_BOOK_HEAVY", "") not in ("", "0")
CHAPTER = "09_time_series.ipynb"  # the application chapter the heavy check runs
BINDER_MEMORY = 2 * 1024**3


def pip_install_line():
    "The pip command of binder/postBuild, as a list."
    lines = [l for l in (BINDER / "postBuild").read_text().splitlines() if re.match(r"\s*python -m pip install", l)]
    assert len(lines) == 1, f"binder/postBuild should hold one `python -m pip install` line; found {lines}"
    return shlex.split(lines[0])


def project_copy(dest):
    for name in PACKAGING: shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "lstm_book", dest / "lstm_book", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def test_binder_python_is_one_the_package_supports():
    version = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", version), f"runtime.txt must read python-3.X; got {version!r}"
    assert tuple(map(int, version[7:].split("."))) >= tuple(map(int, CFG["min_python"].split(".")))


def test_binder_installs_the_book_extra_and_starts_in_quick_mode(tmp_path):
    for name in ("postBuild", "start"):
        assert os.access(BINDER / name, os.X_OK), f"binder/{name} must be executable"
    assert pip_install_line()[-1] == ".[book]"
    env = {k: v for k, v in os.environ.items() if k != "LSTM_BOOK_QUICK"}
    code = "from lstm_book.runmode import quick_mode; print(quick_mode())"
    run = lambda env: subprocess.run([BINDER / "start", sys.executable, "-c", code], env=env,
                                     capture_output=True, text=True, check=True).stdout.strip()
    assert run(env) == "True", "binder/start must turn quick mode on by default"
    assert run({**env, "LSTM_BOOK_QUICK": "0"}) == "False", "a reader's LSTM_BOOK_QUICK=0 must win"


def test_binder_requirements_resolve(tmp_path):
    if not pypi_reachable(): pytest.skip("PyPI is unreachable: cannot resolve Binder's requirements")
    cmd = pip_install_line()
    assert cmd[:4] == ["python", "-m", "pip", "install"], cmd
    # --ignore-installed: resolve everything as a fresh Binder image would, not against this venv.
    sh([sys.executable, *cmd[1:], "--dry-run", "--ignore-installed", "--quiet", "--disable-pip-version-check"],
       cwd=project_copy(tmp_path))


@pytest.mark.skipif(not HEAVY, reason="downloads TensorFlow into a fresh venv; run it with `make binder-check`")
def test_binder_environment_runs_an_application_chapter(tmp_path):
    if not pypi_reachable(): pytest.skip("PyPI is unreachable: cannot install Binder's requirements")
    venv = tmp_path / "venv"
    sh([sys.executable, "-m", "venv", venv])
    py = venv / "bin" / "python"
    cmd = pip_install_line()
    (tmp_path / "src").mkdir()
    sh([py, *cmd[1:], "--quiet", "--disable-pip-version-check"], cwd=project_copy(tmp_path / "src"))
    shutil.copy(ROOT / "nbs" / CHAPTER, tmp_path / CHAPTER)
    env = {k: v for k, v in os.environ.items() if k not in ("LSTM_BOOK_QUICK", "VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    sh([BINDER / "start", py, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output", "ran.ipynb",
        "--ExecutePreprocessor.timeout=1800", "--ExecutePreprocessor.kernel_name=python3", tmp_path / CHAPTER],
       cwd=tmp_path, env=env)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # Linux reports kB
    print(f"{CHAPTER} ran in the Binder environment; the largest process peaked at {peak / 1e6:.0f} MB")
    assert peak < BINDER_MEMORY, f"{CHAPTER} peaked at {peak / 1e6:.0f} MB; mybinder.org gives 2 GB"
