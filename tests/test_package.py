"""The package a reader installs: light without extras, complete metadata, and a clear word when an extra is missing."""
import configparser
import email
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path

import pytest

from lstm_book.runmode import EXTRAS, require

ROOT = Path(__file__).resolve().parents[1]
CFG = configparser.ConfigParser(delimiters=["="])
CFG.read(ROOT / "settings.ini", encoding="utf-8")
CFG = CFG["DEFAULT"]
# Modules that must work after a bare `pip install lstm_book`.
CORE = ["activations", "gates", "cell", "lstm", "bptt", "training", "forecasting", "runmode"]
HEAVY = {"tensorflow", "tensorflow-cpu", "keras", "jax", "torch", "matplotlib", "sacrebleu", "pandas"}
PACKAGING = ["settings.ini", "setup.py", "pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "CHANGELOG.md"]


# --- require(): the one place that says which extra to install --------------------------------------------------

def test_require_returns_the_module():
    assert require("json", extra="keras") is json


def test_require_names_the_calling_module_and_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "keras", None)  # as if Keras were not installed
    ns = {"__name__": "lstm_book.sentiment", "require": require}
    exec("def load(): return require('keras', extra='keras')", ns)
    with pytest.raises(ImportError) as e:
        ns["load"]()
    assert str(e.value) == 'lstm_book.sentiment needs Keras: pip install "lstm_book[keras]"'
    assert isinstance(e.value.__cause__, ModuleNotFoundError)


def test_require_says_when_a_dependency_of_the_module_is_missing(tmp_path, monkeypatch):
    (tmp_path / "needs_tf.py").write_text("import tensorflow\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "tensorflow", None)
    with pytest.raises(ImportError, match=r'x needs needs_tf: pip install "lstm_book\[keras\]" \(needs_tf failed: .*tensorflow'):
        require("needs_tf", extra="keras", by="x")


def test_require_lets_a_broken_install_speak_for_itself(tmp_path, monkeypatch):
    (tmp_path / "broken_mod.py").write_text("raise ImportError('cannot load libfoo.so')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError, match="^cannot load libfoo.so$"):
        require("broken_mod", extra="keras")


def test_require_rejects_an_unknown_extra():
    with pytest.raises(ValueError, match=r"extra must be one of \('data', 'keras', 'book', 'torch'\); got 'gpu'"):
        require("json", extra="gpu")


def test_data_says_which_extra_to_install():
    "Without pandas, `import lstm_book.data` says to install the data extra (in a fresh interpreter)."
    code = ("import sys; sys.modules['pandas'] = None\n"
            "try:\n    import lstm_book.data\nexcept ImportError as e:\n    print(e)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.stdout.strip() == 'lstm_book.data needs pandas: pip install "lstm_book[data]"', r.stderr


# --- what setup() is given, without building anything ------------------------------------------------------------

@pytest.fixture(scope="module")
def setup_kwargs():
    "The keyword arguments setup.py passes to setuptools.setup, read by running it with setup() replaced."
    import setuptools
    got = {}
    real, cwd = setuptools.setup, os.getcwd()
    setuptools.setup = lambda **kw: got.update(kw)
    try:
        os.chdir(ROOT)
        exec(compile((ROOT / "setup.py").read_text(), "setup.py", "exec"), {"__name__": "__main__"})
    finally:
        setuptools.setup, _ = real, os.chdir(cwd)
    return got


def names(reqs):
    return sorted(re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in reqs)


def test_core_needs_numpy_only(setup_kwargs):
    "The numpy core needs numpy alone; everything else is an extra."
    assert names(setup_kwargs["install_requires"]) == ["numpy"]


def test_extras_nest_as_documented(setup_kwargs):
    extras = {k: names(v) for k, v in setup_kwargs["extras_require"].items()}
    assert set(extras) == set(EXTRAS) | {"dev"}
    assert extras["data"] == ["pandas"]
    assert set(extras["data"]) < set(extras["keras"]) and {"tensorflow", "keras", "sacrebleu"} < set(extras["keras"])
    assert set(extras["keras"]) < set(extras["book"]) and "matplotlib" in extras["book"]


def test_type_hints_marker_is_shipped(setup_kwargs):
    assert (ROOT / "lstm_book" / "py.typed").is_file()
    assert setup_kwargs["package_data"] == {"lstm_book": ["py.typed"]}
    assert "include lstm_book/py.typed" in (ROOT / "MANIFEST.in").read_text().splitlines()


def test_version_is_one_number_everywhere(setup_kwargs):
    import lstm_book
    version = CFG["version"]
    assert setup_kwargs["version"] == version == lstm_book.__version__
    assert re.search(rf"^## {re.escape(version)}\b", (ROOT / "CHANGELOG.md").read_text(), re.M), \
        f"CHANGELOG.md has no section for {version}"


def test_release_workflow_builds_tests_and_publishes_with_trusted_publishing():
    wf = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert re.search(r'^\s+tags: \["v\*"\]', wf, re.M)
    assert "python -m build" in wf and "pip install dist/*.whl" in wf
    assert "id-token: write" in wf and "pypa/gh-action-pypi-publish@release/v1" in wf
    assert "password" not in wf and "PYPI_TOKEN" not in wf.upper(), "trusted publishing needs no token"


def test_book_extra_carries_the_dev_pins():
    "The notebooks import nbdev and fastcore, so Binder's `book` extra must pin them as `make test` does."
    pins = lambda key: {r for r in CFG[key].split() if r.startswith(("nbdev", "fastcore", "execnb"))}
    assert pins("book_requirements") == pins("dev_requirements") and len(pins("dev_requirements")) == 3


# --- the built wheel, installed into a clean venv -----------------------------------------------------------------

def pypi_reachable():
    try:
        urllib.request.urlopen("https://pypi.org/simple/numpy/", timeout=10).close()
        return True
    except OSError:
        return False


def sh(cmd, **kw):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    assert r.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    "The sdist and wheel `python -m build` makes from a copy of the packaging files and lstm_book/."
    if not pypi_reachable():
        pytest.skip("PyPI is unreachable: building needs setuptools, installing needs numpy and pandas")
    src = tmp_path_factory.mktemp("src")
    for name in PACKAGING: shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "lstm_book", src / "lstm_book", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("dist")
    sh([sys.executable, "-m", "build", "--outdir", out, src])
    (wheel,), (sdist,) = out.glob("*.whl"), out.glob("*.tar.gz")
    return wheel, sdist


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory):
    "A fresh venv with the wheel installed, no extras."
    env = tmp_path_factory.mktemp("venv") / "venv"
    sh([sys.executable, "-m", "venv", env])
    py = env / "bin" / "python"
    sh([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", dist[0]])
    return py


def metadata(wheel):
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_string(z.read(name).decode())


def test_wheel_holds_the_package_only(dist):
    with zipfile.ZipFile(dist[0]) as z:
        names = z.namelist()
    outside = [n for n in names if not n.startswith(("lstm_book/", "lstm_book-"))]
    assert not outside, f"the wheel carries files outside the package: {outside}"
    modules = sorted(n for n in names if n.startswith("lstm_book/"))
    assert modules == sorted([f"lstm_book/{p.name}" for p in (ROOT / "lstm_book").glob("*.py")] + ["lstm_book/py.typed"])


def test_sdist_can_rebuild_the_package(dist):
    with tarfile.open(dist[1]) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    missing = [n for n in PACKAGING + ["lstm_book/lstm.py"] if n not in names]
    assert not missing, f"the sdist lacks {missing}"


def test_wheel_metadata_is_complete(dist):
    m = metadata(dist[0])
    assert m["Name"] == CFG["lib_name"] and m["Version"] == CFG["version"]
    assert m["Summary"] == CFG["description"]
    assert m["Description-Content-Type"] == "text/markdown"
    assert m.get_payload().strip() == (ROOT / "README.md").read_text().strip()
    urls = dict(u.split(", ", 1) for u in m.get_all("Project-URL"))
    assert urls["Documentation"] == CFG["doc_host"] + CFG["doc_baseurl"]
    assert urls["Source"] == CFG["git_url"] and urls["Issues"] == CFG["git_url"] + "/issues"
    assert m["License-Expression"] == "Apache-2.0" and m["License-File"] == "LICENSE"
    assert m["Requires-Python"] == ">=" + CFG["min_python"]
    classifiers = m.get_all("Classifier")
    assert f"Programming Language :: Python :: {CFG['min_python']}" in classifiers
    assert any(c.startswith("Development Status :: 3") for c in classifiers), classifiers
    assert set(m.get_all("Provides-Extra")) == set(EXTRAS) | {"dev"}
    core = [r for r in m.get_all("Requires-Dist") if "extra ==" not in r]
    assert sorted(r.split(">")[0] for r in core) == ["numpy"]
    data = [r for r in m.get_all("Requires-Dist") if 'extra == "data"' in r]
    assert [r.split(">")[0] for r in data] == ["pandas"]


def test_plain_install_runs_a_forward_pass_without_tensorflow(venv):
    code = """
import numpy as np
from lstm_book.lstm import LSTMParams, lstm_forward
params = LSTMParams.init(input_dim=3, units=5, seed=0)
x = np.random.default_rng(0).normal(size=(2, 7, 3)).astype(np.float32)
hs, (h_T, c_T) = lstm_forward(x, params)
assert hs.shape == (2, 7, 5) and np.array_equal(hs[:, -1], h_T), (hs.shape, h_T.shape)
assert np.all(np.abs(hs) < 1), "h = o * tanh(c) lies in (-1, 1)"
print("ok")
"""
    assert sh([venv, "-c", code], cwd=venv.parent).strip() == "ok"
    installed = {p["name"].lower() for p in json.loads(sh([venv, "-m", "pip", "list", "--format=json"]))}
    assert "lstm_book" in installed or "lstm-book" in installed
    assert not installed & HEAVY, f"a plain install brought in {sorted(installed & HEAVY)}"


def test_plain_install_imports_the_numpy_core(venv):
    code = f"import importlib; [importlib.import_module('lstm_book.' + m) for m in {CORE!r}]"
    sh([venv, "-c", code], cwd=venv.parent)


EXTRA_MESSAGE = re.compile(r'pip install "lstm_book\[(data|keras|book)\]"')


def test_keras_modules_say_which_extra_to_install(venv):
    "Every module outside the core either imports without its extra's packages or says which extra to install."
    code = f"""
import importlib, pkgutil, lstm_book
for m in pkgutil.iter_modules(lstm_book.__path__):
    if m.name.startswith("_") or m.name in {CORE!r}: continue
    try:
        importlib.import_module("lstm_book." + m.name)
    except ImportError as e:
        print(m.name, "|", e)
"""
    failures = sh([venv, "-c", code], cwd=venv.parent).splitlines()
    unclear = [f for f in failures if not EXTRA_MESSAGE.search(f)]
    assert not unclear, f"ImportErrors that do not say which extra to install: {unclear}"
    assert failures, "no module needs an extra: the test would pass without require"
