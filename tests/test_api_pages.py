"The API reference: one page per public module, written from the package's source and kept up to date with it."
import ast
import functools
import importlib
import inspect
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
    assert all(f'- text: "{m}"\n            href: api/{m}.md' in sidebar for m in MODULES)
    assert "- api/index.md" in sidebar


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


def test_signatures_carry_annotations_with_pep8_spacing():
    fn = ast.parse("def f(self, x: int, y: str | None = None, *, z=2, **kw) -> bool: pass").body[0]
    assert api_pages._args(fn) == "self, x: int, y: str | None = None, *, z=2, **kw"
    assert api_pages._args(fn, drop_self=True) == "x: int, y: str | None = None, *, z=2, **kw"
    assert api_pages.signature("f", api_pages._args(fn, True), returns=api_pages._returns(fn)) == \
        "def f(x: int, y: str | None = None, *, z=2, **kw) -> bool"


ATTACHED = '''
from fastcore.basics import patch
import fastcore

class A:
    def shown(self): "in the body"
    def _private(self): pass
    @property
    def size(self): return 1

class B: pass

def _method_of(cls):
    def attach(f):
        setattr(cls, f.__name__, f)
        return f
    return attach

@patch
def patched(self: A, x): "by @patch"

@patch(cls_method=True)
def made(cls: A | B, n: int) -> "A": "a classmethod by @patch, on two classes"

@fastcore.basics.patch(as_prop=True)
def area(self: B): "a property by @patch"

@_method_of(B)
@classmethod
def local(cls, y): "by a local decorator"

@_method_of(A)
def _hidden(self): "private"

def _init(cls, n): "by assignment"
def _other(self): "by assignment too"
A.init, B.other = classmethod(_init), _other
B.again = _other
'''


def test_methods_attached_outside_the_class_are_found():
    tree = ast.parse(ATTACHED)
    got = {c: [(n, kind) for n, _, kind in ms] for c, ms in api_pages.attached_methods(tree).items()}
    assert got == {"A": [("patched", "method"), ("made", "classmethod"), ("_hidden", "method"), ("init", "classmethod")],
                   "B": [("made", "classmethod"), ("area", "property"), ("local", "classmethod"),
                         ("other", "method"), ("again", "method")]}
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    attached = api_pages.attached_methods(tree)
    assert [(n, k) for n, _, k in api_pages.class_methods(classes["A"], attached["A"])] == [
        ("shown", "method"), ("size", "property"), ("patched", "method"), ("made", "classmethod"), ("init", "classmethod")]


# --- the pages against the package as Python sees it: every public name, nothing else ---------------------------

def _module(name):
    try:
        return importlib.import_module(f"lstm_book.{name}")
    except ImportError as e:
        if 'pip install "lstm_book[' in str(e): pytest.skip(f"lstm_book.{name} needs an extra here: {e}")
        raise


def _page_names(module):
    "Top-level names, {class: methods} and {class: properties} listed on a module's API page."
    page = (ROOT / "nbs" / "api" / f"{module}.md").read_text()
    names = re.findall(r"^### (\S+) \{#\1\}$", page, re.M)
    methods, props, current = {}, {}, None
    for line in page.splitlines():
        if m := re.match(r"^### (\S+) \{#", line): current = m.group(1)
        elif m := re.match(r"^#### (\w+)\.(\w+)$", line): methods.setdefault(m.group(1), set()).add(m.group(2))
        elif line.startswith("Properties: ") and current:
            props[current] = set(re.findall(r"`(\w+)`", line))
    return names, methods, props


def _own_methods(cls, module=None):
    """The public methods and properties a class defines itself (in its body or attached to it), as run time sees
    them; those another module attaches are on that module's page, so only the ones defined in `module` (the
    class's own by default) count."""
    module = module or cls.__module__
    methods, props = set(), set()
    for name, value in vars(cls).items():
        if name.startswith("_"): continue
        func = getattr(value, "__func__", value)
        func = getattr(func, "fget", func)
        if getattr(func, "__module__", module) != module: continue
        if isinstance(value, (property, functools.cached_property)): props.add(name)
        elif isinstance(value, (classmethod, staticmethod)) or inspect.isfunction(value): methods.add(name)
    return methods, props


@pytest.mark.parametrize("module", MODULES)
def test_all_holds_the_packages_own_names_only(module):
    "No module re-exports what it imports (`keras`, `tf`, `plt`, `Circle`, ...): `__all__` is its own API."
    mod = _module(module)
    foreign = []
    for name in mod.__all__:
        obj = getattr(mod, name)
        if inspect.ismodule(obj) or getattr(obj, "__module__", mod.__name__) != mod.__name__ and (
                inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj)):
            foreign.append(name)
    assert foreign == [], f"lstm_book.{module}.__all__ exports names it imports: {foreign}"


@pytest.mark.parametrize("module", MODULES)
def test_the_page_lists_every_public_name_and_method(module):
    mod = _module(module)
    names, methods, props = _page_names(module)
    assert sorted(names) == sorted(mod.__all__), (
        f"missing from the page: {sorted(set(mod.__all__) - set(names))}; "
        f"on the page but not in __all__: {sorted(set(names) - set(mod.__all__))}")
    for name in mod.__all__:
        cls = getattr(mod, name)
        if not inspect.isclass(cls) or cls.__module__ != mod.__name__: continue
        want_m, want_p = _own_methods(cls)
        assert methods.get(name, set()) == want_m, f"{name}: methods on the page differ from the class's"
        assert props.get(name, set()) == want_p, f"{name}: properties on the page differ from the class's"


@pytest.mark.parametrize("module", MODULES)
def test_methods_a_module_adds_to_another_modules_class_are_on_its_page(module):
    "variants adds from_torch and to_torch to LSTMParams: they are listed on variants' page, under the class."
    mod = _module(module)
    _, methods, _ = _page_names(module)
    classes = {c for m in MODULES for c in vars(_module(m)).values()
               if inspect.isclass(c) and c.__module__.startswith("lstm_book.")}
    for cls in classes:
        if cls.__module__ == mod.__name__: continue
        want, _ = _own_methods(cls, mod.__name__)
        if want: assert methods.get(cls.__name__, set()) >= want, f"{cls.__name__}: {sorted(want)} not on {module}'s page"
