"""Every chapter opens with Colab and Binder badges and a hidden cell that installs the package when it is missing,
all built by tools/badges.py from settings.ini."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import badges  # noqa: E402

CFG = badges.settings()
CHAPTERS = badges.chapters()


@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.name)
def test_chapter_starts_with_badges_and_install_cell(nb):
    assert badges.problems(nb, CFG) == []


def test_badges_are_built_from_settings():
    cfg = {"user": "someone", "repo": "lstm_fork", "branch": "dev", "nbs_path": "nbs"}
    md = badges.badge_markdown("04_lstm.ipynb", cfg)
    assert "(https://colab.research.google.com/github/someone/lstm_fork/blob/dev/nbs/04_lstm.ipynb)" in md
    assert "(https://mybinder.org/v2/gh/someone/lstm_fork/dev?labpath=nbs%2F04_lstm.ipynb)" in md


def test_write_is_idempotent_and_clean(tmp_path):
    "What `--write` does to a chapter: two cells after the title, unchanged by a second run or nbdev_clean."
    shutil.copy(ROOT / "settings.ini", tmp_path)
    shutil.copytree(ROOT / "nbs", tmp_path / "nbs")
    nb = tmp_path / "nbs" / "04_lstm.ipynb"
    content = json.loads(nb.read_text())
    assert badges.problems(nb, CFG) == []  # the chapter has its cells; take them out to start as before --write
    content["cells"] = content["cells"][:1] + content["cells"][3:]
    nb.write_text(json.dumps(content, indent=1, ensure_ascii=False))
    assert badges.problems(nb, CFG) != []
    before = content["cells"]
    badges.write(nb, CFG)
    subprocess.run([Path(sys.executable).parent / "nbdev_clean", "--fname", nb], cwd=tmp_path, check=True)
    assert badges.problems(nb, CFG) == []
    after = json.loads(nb.read_text())["cells"]
    assert len(after) == len(before) + 2
    assert [c["source"] for c in after[:1] + after[3:]] == [c["source"] for c in before]
    assert not badges.write(nb, CFG), "a second --write changed the notebook"


def install_cell_runs(monkeypatch, present):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd))
    if not present: monkeypatch.setitem(sys.modules, "lstm_book", None)
    exec(badges.install_source(CFG), {})
    return calls


def test_install_cell_is_silent_when_the_package_is_there(monkeypatch, capsys):
    assert install_cell_runs(monkeypatch, present=True) == []
    assert capsys.readouterr() == ("", "")


def test_install_cell_installs_the_book_extra_from_the_repository(monkeypatch):
    (cmd,) = install_cell_runs(monkeypatch, present=False)
    assert cmd[1:5] == ["-m", "pip", "install", "-q"]
    assert cmd[-1] == f"lstm_book[book] @ git+{CFG['git_url']}@{CFG['branch']}"
