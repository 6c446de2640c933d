"""The book's own promises: the library is the notebooks' export, the notebooks are clean and carry their outputs,
README says what the home page says, and the numpy core runs without TensorFlow."""
import ast
import json
import re
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / "nbs"
BIN = Path(sys.executable).parent
NOTEBOOKS = sorted(p for p in NBS.glob("*.ipynb"))
CORE = ["activations", "gates", "cell", "lstm", "runmode"]


def copy_project(tmp_path):
    "A copy of what nbdev reads and writes, so checks never touch the working tree."
    shutil.copy(ROOT / "settings.ini", tmp_path / "settings.ini")
    shutil.copytree(NBS, tmp_path / "nbs", ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_docs", "_proc"))
    shutil.copytree(ROOT / "lstm_book", tmp_path / "lstm_book", ignore=shutil.ignore_patterns("__pycache__"))
    # settings.ini's `procs` names tools.number_titles, which nbdev imports from the project's root
    shutil.copytree(ROOT / "tools", tmp_path / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def run(cmd, cwd):
    env = {**os.environ, "PYTHONPATH": str(cwd)}  # as `make docs` runs nbdev: the project's root importable
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    assert r.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{r.stdout}\n{r.stderr}"


def tree(folder, pattern):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.glob(pattern))}


# The one module written by hand: it is site machinery (settings.ini's show_doc renderer), not something a chapter teaches.
HANDWRITTEN = {"_showdoc.py"}


def test_library_is_in_sync_with_notebooks(tmp_path):
    work = copy_project(tmp_path)
    shutil.rmtree(work / "lstm_book")
    run([BIN / "nbdev_export"], cwd=work)
    exported = tree(work / "lstm_book", "*.py")
    committed = {k: v for k, v in tree(ROOT / "lstm_book", "*.py").items() if k not in HANDWRITTEN}
    assert sorted(exported) == sorted(committed), "modules without a notebook, or notebooks not exported"
    stale = [name for name in exported if exported[name] != committed[name]]
    assert not stale, f"lstm_book/ differs from what nbdev_export makes of nbs/: {stale}; run nbdev_export"


def test_notebooks_are_clean(tmp_path):
    work = copy_project(tmp_path)
    run([BIN / "nbdev_clean"], cwd=work)
    before, after = tree(NBS, "*.ipynb"), tree(work / "nbs", "*.ipynb")
    dirty = [name for name in before if before[name] != after[name]]
    assert not dirty, f"nbdev_clean would change {dirty}; run nbdev_clean"


def code_cells(nb_path):
    return [c for c in json.loads(nb_path.read_text())["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_carry_outputs_without_tensorflow_noise(nb):
    cells = [c for c in code_cells(nb) if "".join(c["source"]).strip()]
    outputs = [o for c in cells for o in c.get("outputs", [])]
    shown = [c for c in cells if not "".join(c["source"]).lstrip().startswith(("#| export", "#|export", "#| hide", "#| default_exp"))]
    if shown:
        assert outputs, f"{nb.name} has code but no stored outputs: the website shows stored outputs only"
    noise = [o for o in outputs if o.get("name") == "stderr" and re.search(r"absl::InitializeLog|^[IWEF]\d{4} ", "".join(o["text"]), re.M)]
    assert not noise, f"{nb.name} stores TensorFlow's start-up logs; run tools/strip_logs.py on it"
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, f"{nb.name} stores an error output"


def test_every_chapter_is_in_the_sidebar_and_every_entry_exists():
    sidebar = (NBS / "sidebar.yml").read_text()
    entries = re.findall(r"^\s*-\s+([\w./-]+\.ipynb)\s*$", sidebar, re.M)
    assert sorted(entries) == sorted(p.name for p in NOTEBOOKS)


def fenced_blocks(markdown):
    return [b.strip() for b in re.findall(r"```[a-z]*\n(.*?)```", markdown, re.S)]


def test_readme_install_and_commands_match_the_home_page():
    index = "\n".join("".join(c["source"]) for c in json.loads((NBS / "index.ipynb").read_text())["cells"]
                      if c["cell_type"] == "markdown")
    readme = (ROOT / "README.md").read_text()
    blocks = fenced_blocks(index)
    assert any("pip install lstm_book" in b for b in blocks), "the home page shows no install line"
    assert any("make test" in b for b in blocks) and any("make book" in b for b in blocks)
    missing = [b for b in blocks if b not in fenced_blocks(readme)]
    assert not missing, f"README.md lacks these blocks of nbs/index.ipynb: {missing}"


def test_numpy_core_imports_without_tensorflow():
    code = (f"import sys; import {', '.join('lstm_book.' + m for m in CORE)}; "
            "heavy = [m for m in ('tensorflow', 'keras', 'pandas', 'matplotlib') if m in sys.modules]; "
            "assert not heavy, heavy")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_import_cells_hold_only_imports(nb):
    # nbdev_docs runs every cell that contains an import (to render show_doc) without the cells around it, so a cell
    # that imports and also computes would fail there, far from the author.
    mixed = []
    for n, cell in enumerate(code_cells(nb)):
        src = "".join(cell["source"])
        if re.search(r"^#\|\s*export", src, re.M): continue
        body = ast.parse(src).body
        imports = [s for s in body if isinstance(s, (ast.Import, ast.ImportFrom))]
        if imports and any(not isinstance(s, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)) for s in body):
            mixed.append(src.splitlines()[0])
    assert not mixed, f"{nb.name}: cells mixing imports with other code (move the imports to their own cell): {mixed}"


def test_nbdev_docs_preprocessing_runs(tmp_path):
    "Everything `nbdev_docs` does to the notebooks before it hands them to Quarto (which these machines lack)."
    # Not `nbdev_proc_nbs`: without Quarto on PATH it tries to download and install Quarto, then `pip install -e`.
    work = copy_project(tmp_path)
    code = "from nbdev.quarto import refresh_quarto_yml; from nbdev.serve import proc_nbs; refresh_quarto_yml(); proc_nbs()"
    run([sys.executable, "-c", code], cwd=work)
    made = sorted(p.name for p in (work / "_proc").glob("*.ipynb"))
    assert made == sorted(p.name for p in NOTEBOOKS)
