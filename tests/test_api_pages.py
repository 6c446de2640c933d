"The API reference: one page per public module, written from the package's source and kept up to date with it."
import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import api_pages  # noqa: E402

MODULES = api_pages.modules()


def test_pages_are_up_to_date():
    stale = [str(p.relative_to(ROOT)) for p in api_pages.stale(api_pages.expected())]
    assert stale == [], f"run `python tools/api_pages.py --write`: {stale}"


def test_every_public_module_has_a_page_in_the_sidebar():
    names = {p.stem for p in (ROOT / "lstm_book").glob("*.py") if not p.stem.startswith("_")}
    assert set(MODULES) == names
    sidebar = (ROOT / "nbs" / "sidebar.yml").read_text()
    assert all(f"- api/{m}.md" in sidebar for m in MODULES) and "- api/index.md" in sidebar


@pytest.mark.parametrize("module", MODULES)
def test_every_public_function_and_class_has_a_docstring_and_an_entry(module):
    tree = ast.parse((ROOT / "lstm_book" / f"{module}.py").read_text())
    names = set(api_pages.public_names(tree))
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name in names]
    assert [n.name for n in defs if not ast.get_docstring(n)] == []
    page = (ROOT / "nbs" / "api" / f"{module}.md").read_text()
    assert [n for n in names if f"### {n} {{#{n}}}" not in page] == []


@pytest.mark.parametrize("module", MODULES)
def test_code_on_the_pages_fits_the_column(module):
    page = (ROOT / "nbs" / "api" / f"{module}.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    assert [l for b in blocks for l in b.splitlines() if len(l) > api_pages.WIDTH] == []


def test_signature_wraps_one_argument_a_line_only_when_it_must():
    assert api_pages.signature("f", "x, y=1") == "def f(x, y=1)"
    long = "x, params, initial_state=None, return_cache=False, something_else=(1, 2), more=None"
    assert api_pages.signature("g", long) == (
        "def g(\n    x,\n    params,\n    initial_state=None,\n    return_cache=False,\n"
        "    something_else=(1, 2),\n    more=None,\n)")


def test_imported_modules_and_classes_are_not_api():
    tree = ast.parse("import numpy as np\nfrom x import y\nkeras = require('keras', extra='keras')\n"
                     "A, B = _m.A, _m.B\nC = 1\n__all__ = ['np', 'y', 'keras', 'A', 'B', 'C']\n")
    assert api_pages.public_names(tree) == ["C"]
