"""The website's machinery, without Quarto: the site check's parsing, the Quarto installer's offline path, what
`make docs` says without Quarto, the navbar link, the home page against settings.ini, README and the data registry,
and the CI workflows."""
import configparser
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from lstm_book.data import DATASETS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import badges  # noqa: E402
import browser  # noqa: E402
import get_quarto  # noqa: E402
import number_titles  # noqa: E402
import site_check  # noqa: E402
import site_offline  # noqa: E402
import site_overflow  # noqa: E402

CFG = badges.settings()
SITE_URL = CFG["doc_host"] + CFG["doc_baseurl"]


# --- tools/site_check.py on made-up pages ----------------------------------------------------------------------

PAGE = """<html><head><link href="site_libs/style.css" rel="stylesheet"><script>var x = "NBVAL in a script";</script></head>
<body><nav><a href="https://github.com/lstm-book/lstm_book">GitHub</a><a href="lstm.html#the-layer">layer</a>
<a href="gone.html">gone</a><a href="#top">top</a><a href="#nowhere">nowhere</a><a href="lstm.html#no-such">bad anchor</a>
<a href="../outside.html">outside</a><a href="mailto:a@b.c">mail</a><img src="figs/plot.png"></nav>
<h1 id="top">Gates</h1><p>Some text.</p>
<div class="cell"><div class="sourceCode"><pre class="sourceCode python"><code><span id="cb1-1"><a href="#cb1-1"></a># NBVAL_CHECK_OUTPUT</span>
<span id="cb1-2"><a href="#cb1-2"></a>def forget_gate(h_prev, x_t, W_f, b_f):</span>
<span id="cb1-3"><a href="#cb1-3"></a>    return sigmoid(concat_hx(h_prev, x_t) @ W_f + b_f)  # a comment that runs past the column</span></code></pre></div>
<div class="cell-output cell-output-stdout"><pre><code>short output
an output line that is far too wide for the column of the page it is printed on, by a lot</code></pre></div></div>
<pre><code>class LSTMParams:
    pass</code></pre>
</body></html>"""


def test_page_parsing():
    page = site_check.parse(PAGE)
    assert {"top", "cb1-1", "cb1-2", "cb1-3"} <= page.ids
    assert [kind for kind, _ in page.blocks] == ["code", "output", "code"]
    assert page.blocks[0][1].splitlines()[1] == "def forget_gate(h_prev, x_t, W_f, b_f):"
    lines = site_check.long_lines(page, max_line=75)
    wide_code = "    return sigmoid(concat_hx(h_prev, x_t) @ W_f + b_f)  # a comment that runs past the column"
    wide_output = "an output line that is far too wide for the column of the page it is printed on, by a lot"
    assert lines == [("code", len(wide_code), wide_code), ("output", len(wide_output), wide_output)]
    assert site_check.nbval_text(page) == ["# NBVAL_CHECK_OUTPUT"], "text in <script> is not on the page"


def test_hidden_sources():
    page = site_check.parse(PAGE)
    names = [("forget_gate", "FunctionDef"), ("concat_hx", "FunctionDef"), ("LSTMParams", "ClassDef")]
    assert site_check.hidden_sources(page, names) == ["concat_hx"]


def test_exported_names(tmp_path):
    cells = [("#| export\ndef shown(x): pass\ndef _private(): pass\nclass Thing: pass", "code"),
             ("#| exports\nimport numpy as np\ndef also(x): pass", "code"),
             ("def not_exported(): pass", "code"), ("#| export is not code here", "markdown")]
    nb = tmp_path / "01_x.ipynb"
    nb.write_text(json.dumps({"cells": [{"cell_type": t, "source": s, "metadata": {}} for s, t in cells]}))
    assert site_check.exported_names(nb) == [("shown", "FunctionDef"), ("Thing", "ClassDef"), ("also", "FunctionDef")]


def test_dead_links(tmp_path):
    site = tmp_path
    (site / "site_libs").mkdir(); (site / "site_libs" / "style.css").write_text("")
    (site / "figs").mkdir(); (site / "figs" / "plot.png").write_text("")
    (site / "lstm.html").write_text('<h2 id="the-layer">x</h2>')
    page = site_check.parse(PAGE)
    pages = {"lstm.html": {"the-layer"}}
    assert site_check.dead_links(page, "gates.html", site, pages) == [
        "gone.html", "#nowhere", "lstm.html#no-such", "../outside.html"]


def test_page_names_follow_nbdev():
    assert site_check.html_name(Path("nbs/04_lstm.ipynb")) == "lstm.html"
    assert site_check.html_name(Path("nbs/index.ipynb")) == "index.html"
    assert site_check.html_name(Path("nbs/09_time_series.ipynb")) == "time_series.html"


def test_check_reports_a_missing_page_and_passes_a_good_site(tmp_path):
    shutil.copy(ROOT / "settings.ini", tmp_path)
    (tmp_path / "nbs").mkdir()
    (tmp_path / "_docs").mkdir()
    nb = {"cells": [{"cell_type": "code", "source": "#| exports\ndef sigmoid(x): pass", "metadata": {}}]}
    (tmp_path / "nbs" / "01_activations.ipynb").write_text(json.dumps(nb))
    (tmp_path / "nbs" / "index.ipynb").write_text(json.dumps({"cells": []}))
    (tmp_path / "_docs" / "index.html").write_text('<a href="activations.html">next</a>')
    found = site_check.check(tmp_path, warnings=["WARNING (x) Unknown meta key"])
    assert found["missing page"] == ["01_activations.ipynb: no activations.html"]
    assert found["dead link"] == ["index.html: activations.html"]
    assert found["Quarto warning"] == ["WARNING (x) Unknown meta key"]
    (tmp_path / "_docs" / "activations.html").write_text('<pre><code>def sigmoid(x): pass</code></pre>')
    assert not any(site_check.check(tmp_path).values())


def test_quarto_warnings_are_told_from_tensorflow_logs():
    assert site_check.WARNING.search("\x1b[33mWARNING (/q/main.lua:17878) Unknown meta key git_url")
    assert site_check.WARNING.search("WARN: Could not convert TeX math")
    assert not site_check.WARNING.search("WARNING: All log messages before absl::InitializeLog() is called")


# --- Quarto for `make book` ------------------------------------------------------------------------------------

def test_get_quarto_offline_stops_with_a_clear_message(tmp_path):
    r = subprocess.run([sys.executable, ROOT / "tools" / "get_quarto.py", "--dest", tmp_path / "q",
                        "--url", "http://127.0.0.1:9/quarto-1.7.34-linux-amd64.tar.gz"], capture_output=True, text=True)
    assert r.returncode == 1
    assert "Could not download Quarto 1.7.34 from http://127.0.0.1:9/" in r.stderr
    assert "https://quarto.org/docs/get-started/" in r.stderr and "make docs" in r.stderr
    assert list((tmp_path / "q").iterdir()) == [], "a failed download left files behind"


def test_get_quarto_installs_a_release_archive(tmp_path):
    "A made-up release archive laid out as Quarto's: quarto-VERSION/bin/quarto."
    archive = tmp_path / "quarto.tar.gz"
    script = b"#!/bin/sh\necho 1.7.34\n"
    with tarfile.open(archive, "w:gz") as t:
        info = tarfile.TarInfo("quarto-1.7.34/bin/quarto"); info.size, info.mode = len(script), 0o755
        t.addfile(info, io.BytesIO(script))
    bin_dir = get_quarto.install(tmp_path / "q", "1.7.34", url=archive.as_uri())
    assert bin_dir == tmp_path / "q" / "quarto-1.7.34" / "bin"
    assert sorted(p.name for p in (tmp_path / "q").iterdir()) == ["quarto-1.7.34"]
    assert get_quarto.install(tmp_path / "q", "1.7.34", url="http://127.0.0.1:9/x") == bin_dir, "downloaded twice"


def test_quarto_archive_names():
    assert get_quarto.archive_name("1.7.34", "Linux", "x86_64") == "quarto-1.7.34-linux-amd64.tar.gz"
    assert get_quarto.archive_name("1.7.34", "Linux", "aarch64") == "quarto-1.7.34-linux-arm64.tar.gz"
    assert get_quarto.archive_name("1.7.34", "Darwin", "arm64") == "quarto-1.7.34-macos.tar.gz"
    with pytest.raises(SystemExit, match="No Quarto 1.7.34 archive for Windows"):
        get_quarto.archive_name("1.7.34", "Windows", "AMD64")


def make_without_quarto(target, tmp_path):
    "Run a make target with no Quarto on PATH or in the project (the venv counts as installed)."
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if not (Path(p) / "quarto").exists())
    return subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", target,
                           f"QUARTO_HOME={tmp_path / 'none'}"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PATH": path})


@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="needs `make install` first")
def test_make_docs_without_quarto_says_how_to_get_it(tmp_path):
    r = make_without_quarto("docs", tmp_path)
    assert r.returncode != 0
    assert "Quarto is not on PATH" in r.stderr and "https://quarto.org/docs/get-started/" in r.stderr


@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(), reason="needs `make install` first")
def test_make_site_check_without_quarto_is_skipped(tmp_path):
    r = make_without_quarto("site-check", tmp_path)
    assert r.returncode == 0 and "site-check skipped" in r.stderr


def test_makefile_and_deploy_pin_the_same_quarto():
    makefile = (ROOT / "Makefile").read_text()
    version = re.search(r"^QUARTO_VERSION\s*:=\s*(\S+)", makefile, re.M).group(1)
    assert version == get_quarto.VERSION
    assert f"version: {version}" in (ROOT / ".github" / "workflows" / "deploy.yaml").read_text()


# --- the site's configuration ------------------------------------------------------------------------------------

def test_navbar_links_to_the_repository():
    quarto = (ROOT / "nbs" / "_quarto.yml").read_text()
    assert re.search(r"- icon: github\n(\s*#.*\n)*\s*href: \"(.*)\"", quarto).group(2) == CFG["git_url"]
    assert "commonmark" not in quarto, "the CommonMark output only added TeX warnings"


def test_workflows_run_make():
    test = (ROOT / ".github" / "workflows" / "test.yaml").read_text()
    deploy = (ROOT / ".github" / "workflows" / "deploy.yaml").read_text()
    assert re.search(r"run: make test$", test, re.M)
    assert re.search(r"run: make docs$", deploy, re.M) and "publish_dir: ./_docs" in deploy
    assert "nbdev<3" in CFG["dev_requirements"].replace(">=2.4.14,", "")


# --- the home page and README ------------------------------------------------------------------------------------

def markdown(nb):
    return "\n\n".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "markdown")


HOME, README = markdown(ROOT / "nbs" / "index.ipynb"), (ROOT / "README.md").read_text()


def blocks(md):
    return re.findall(r"```(\w*)\n(.*?)```", md, re.S)


def test_readme_code_blocks_equal_the_home_page():
    assert blocks(README) == blocks(HOME)


@pytest.mark.parametrize("text", [HOME, README], ids=["home", "readme"])
def test_badges_citation_and_sizes(text):
    assert badges.repo_badges(CFG) in text
    cite = dict(re.findall(r"^\s*(\w+)\s*=\s*\{+(.*?)\}+,?$", blocks(text)[-1][1], re.M))
    assert cite["title"] == CFG["title"] and cite["url"] == SITE_URL
    assert cite["author"] == CFG["author"] and cite["year"] == CFG["copyright"].split()[0]
    total = round(sum(d.download for d in DATASETS.values()) / 1e6)
    glove = round(DATASETS["glove_6b_50d"].download / 1e6)
    assert f"{total} MB in all, of\nwhich the GloVe word vectors are {glove} MB" in text


def test_readme_links_exist():
    links = re.findall(r"\]\((nbs/[^)#]+)\)", README)
    assert links and [l for l in links if not (ROOT / l).exists()] == []


def test_quick_tour_runs():
    code = "\n".join(src for lang, src in blocks(README) if lang == "python")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    persistence, seasonal = map(float, r.stdout.split())
    assert seasonal < 1e-9 < persistence, "a daily cycle is predicted exactly one season back, not by persistence"


def test_notebook_lines_sees_what_the_page_shows(tmp_path):
    "The render-free line check counts shown code, fenced markdown code and text outputs, and skips hidden cells."
    wide = "x = 1  # " + "a" * 80
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["Text " + "b" * 90 + "\n", "```python\n", wide + "\n", "```"]},
        {"cell_type": "code", "metadata": {}, "source": ["#| export\n", wide], "outputs": [], "execution_count": None},
        {"cell_type": "code", "metadata": {}, "source": ["#| echo: false\n", wide], "execution_count": None,
         "outputs": [{"output_type": "stream", "name": "stdout", "text": ["c" * 76 + "\n"]}]},
        {"cell_type": "code", "metadata": {}, "source": ["#| exports\n", wide], "execution_count": None,
         "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                      "data": {"text/plain": ["d" * 80], "text/html": ["<table></table>"]}}]},
        {"cell_type": "code", "metadata": {}, "source": ["short = 2"], "execution_count": None,
         "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                      "data": {"text/plain": ["e" * 80]}}]},
    ]
    nb = tmp_path / "01_x.ipynb"
    nb.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    found = [(i, kind, n) for i, kind, n, _ in site_check.notebook_wide_lines(nb)]
    assert found == [(0, "code", len(wide)), (2, "output", 76), (3, "code", len(wide)), (4, "output", 80)]
    assert site_check.notebook_wide_lines(nb, max_line=100) == []


def test_exported_source_cells_fold_only_the_way_nbdev_folds_them():
    "nbdev gives an `#| exports` cell `code-fold: show` itself; a second `code-fold` of the cell's own stops Quarto."
    both = []
    for nb in sorted((ROOT / "nbs").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(nb.read_text())["cells"]):
            src = "".join(cell["source"])
            if cell["cell_type"] == "code" and re.search(r"^#\|\s*exports\s*$", src, re.M) \
                    and re.search(r"^#\|\s*code-fold", src, re.M):
                both.append(f"{nb.name} cell {i}")
    assert both == []


def test_show_doc_on_the_site_fits_the_column_and_links_the_line():
    "settings.ini's renderer: signatures within the code column, `f()` for no arguments, a real source line."
    from nbdev.showdoc import show_doc
    from lstm_book import _showdoc
    from lstm_book.runmode import quick_mode
    from lstm_book.training import train_classifier, train_recall
    assert CFG["renderer"] == "lstm_book._showdoc.ColumnRenderer"
    for f in (train_classifier, train_recall, quick_mode):
        md = _showdoc.ColumnRenderer(f)._repr_markdown_()
        code = md.split("```python")[1].split("```")[0]
        assert max(map(len, code.splitlines())) <= site_check.MAX_LINE, code
        line = int(re.search(r"#L(\d+)\)", md).group(1))
        source = (ROOT / "lstm_book" / f"{f.__module__.split('.')[-1]}.py").read_text().splitlines()
        assert source[line - 1].startswith(f"def {f.__name__}(")
    assert "def quick_mode()->bool:" in _showdoc.ColumnRenderer(quick_mode)._repr_markdown_()
    from lstm_book.lstm import lstm_forward
    md = _showdoc.ColumnRenderer(lstm_forward)._repr_markdown_()
    assert "initial_state=None" in md and "NoneType" not in md
    assert type(show_doc(train_classifier)) is _showdoc.ColumnRenderer


# --- tools/site_overflow.py: what scrolls sideways, measured in Chromium -------------------------------------------

RAW = {"column": 541, "items": [
    {"kind": "code", "tag": "pre.sourceCode.python", "section": "lstm_cell", "text": "def lstm_cell(x_t, h_prev",
     "over": 140, "scroll": 140, "past": 0, "width": 679, "box": 539},
    {"kind": "equation", "tag": "mjx-container.MathJax", "section": "", "text": "C_t = f_t * C_t-1",
     "over": 45, "scroll": 45, "past": 45, "width": 586, "box": 541},
    {"kind": "table", "tag": "table", "section": "x", "text": "", "over": 1, "scroll": 1, "past": 0,
     "width": 542, "box": 541}]}


def test_overflow_measurements_become_messages():
    found = site_overflow.parse_measurement(RAW, "cell.html", 1024)
    assert [(f["kind"], f["over"]) for f in found] == [("code", 140), ("equation", 45)], "1 px is rounding"
    assert site_overflow.message(found[0]) == (
        "1024 px: cell.html#lstm_cell: code pre.sourceCode.python is 679 px in 539 px (column 541 px), "
        "140 px too wide: 'def lstm_cell(x_t, h_prev'")
    assert site_overflow.message(found[1]).startswith("1024 px: cell.html: equation mjx-container.MathJax is 586 px")
    assert site_overflow.summary(found) == {("cell.html", 1024): (2, 140)}
    with pytest.raises(ValueError, match="not"):
        site_overflow.parse_measurement(None, "cell.html", 1024)


def test_overflow_selectors_cover_what_a_page_shows():
    assert set(site_overflow.SELECTORS) == {"code", "table", "output", "equation"}
    assert 'mjx-container[display="true"]' in site_overflow.SELECTORS["equation"]
    assert site_overflow.WIDTHS == (1280, 1024)


def test_browser_checks_skip_cleanly_without_playwright(monkeypatch, capsys):
    monkeypatch.setattr(browser, "find_chromium", lambda: None)
    monkeypatch.setattr(browser, "_playwright_has_chromium", lambda: False)
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # as if Playwright were not installed
    assert "pip install playwright" in browser.unavailable()
    assert site_overflow.main([]) == 0
    assert capsys.readouterr().out.startswith("overflow check skipped: the overflow check needs Playwright")
    assert site_offline.main([]) == 0
    assert capsys.readouterr().out.startswith("offline check skipped: the offline check needs Playwright")
    assert site_check.browser_check(ROOT) == {}
    assert "the checks in Chromium are skipped" in capsys.readouterr().out


def test_browser_checks_say_when_chromium_is_missing(monkeypatch):
    pytest.importorskip("playwright.sync_api")
    monkeypatch.setattr(browser, "find_chromium", lambda: None)
    monkeypatch.setattr(browser, "_playwright_has_chromium", lambda: False)
    assert browser.unavailable("the offline check") == (
        "the offline check needs Chromium: apt-get install chromium (or `playwright install chromium`)")


def test_the_site_is_served_on_localhost(tmp_path):
    (tmp_path / "a.html").write_text("<p>hello</p>")
    (tmp_path / "m.js").write_text("export const a = 1;")
    import urllib.request
    with browser.serve(tmp_path) as base:
        assert base.startswith("http://127.0.0.1:")
        assert urllib.request.urlopen(base + "a.html", timeout=10).read() == b"<p>hello</p>"
        with urllib.request.urlopen(base + "m.js", timeout=10) as r:
            assert r.headers["Content-Type"].startswith("text/javascript"), "ES modules need a JavaScript type"


# --- tools/site_offline.py: the site needs no other host -------------------------------------------------------------

BASE = "http://127.0.0.1:8123/"


@pytest.mark.parametrize("url, resource_type, kind", [
    (BASE + "lstm.html", "document", "local"),
    (BASE + "vendor/mathjax/es5/tex-chtml-full.js", "script", "local"),
    ("data:image/png;base64,AAAA", "image", "local"),
    ("blob:http://127.0.0.1:8123/1234", "script", "local"),
    ("http://127.0.0.1:8124/lstm.html", "document", "other"),      # another port is another server
    ("https://127.0.0.1:8123/lstm.html", "document", "other"),     # and another scheme
    ("http://localhost:8123/lstm.html", "document", "other"),
    ("https://colab.research.google.com/assets/colab-badge.svg", "image", "badge"),
    ("https://mybinder.org/badge_logo.svg", "image", "badge"),
    ("https://img.shields.io/badge/licence-Apache--2.0-blue.svg", "image", "badge"),
    ("https://github.com/lstm-book/lstm_book/actions/workflows/test.yaml/badge.svg", "image", "badge"),
    ("https://github.com/lstm-book/lstm_book/raw/main/nbs/figs/cell.png", "image", "other"),
    ("https://mybinder.org/static/logo.js", "image", "other"),
    ("https://mybinder.org/v2/gh/lstm-book/lstm_book/main", "document", "other"),  # a badge host, not an image
    ("https://colab.research.google.com/x.js", "script", "other"),
    ("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js", "script", "other"),
    ("https://fonts.googleapis.com/css2?family=Source+Sans+Pro", "stylesheet", "other"),
    ("https://cdnjs.cloudflare.com/polyfill/v3/polyfill.min.js?features=es6", "script", "other"),
    ("https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js", "script", "other"),
    ("https://img.shields.io.evil.example/x.svg", "image", "other"),
])
def test_requests_are_local_badges_or_another_host(url, resource_type, kind):
    assert browser.classify(url, BASE, resource_type) == kind


def test_console_lines_of_blocked_requests_are_not_counted_twice():
    assert browser.is_blocked_load_message("Failed to load resource: net::ERR_BLOCKED_BY_CLIENT",
                                           "https://cdn.jsdelivr.net/x.js", BASE)
    assert not browser.is_blocked_load_message("Failed to load resource: the server responded with a status of 404",
                                                BASE + "js/missing.js", BASE), "a missing file of the site is an error"
    assert not browser.is_blocked_load_message("Uncaught TypeError: x is undefined", "https://cdn.x/y.js", BASE)


def test_pages_of_the_site_leave_out_libraries(tmp_path):
    for name in ("index.html", "api/lstm.html", "site_libs/x/y.html", "vendor/mathjax/a.html", "lstm.html.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert browser.pages_of(tmp_path) == ["api/lstm.html", "index.html"]


def test_unrendered_math_becomes_messages():
    found = {"spans": 3, "untypeset": ["\\(x^2\\)"], "errors": ["Undefined control sequence \\foo"],
             "leftover": ["where \\(h_t"]}
    assert site_offline.math_problems("cell.html", found) == [
        "cell.html: formula not typeset: '\\\\(x^2\\\\)'",
        "cell.html: TeX error in a formula: 'Undefined control sequence \\\\foo'",
        "cell.html: TeX delimiters left in the text: 'where \\\\(h_t'"]
    assert site_offline.math_problems("cell.html", {"spans": 2, "untypeset": [], "errors": [], "leftover": []}) == []


def test_a_widget_responds_when_a_data_attribute_takes_a_new_value():
    assert site_offline.widget_problem("p.html", 0, "#lstm-x (slider)", {"h": "0.1", "c": "1"},
                                       {"h": "0.2", "c": "1"}) is None
    assert site_offline.widget_problem("p.html", 0, "#recall-input (text)", {}, {"proba": "[0.1,0.9]"}) is None
    assert site_offline.widget_problem("p.html", 1, "#lstm-x (slider)", {"h": "0.1"}, {"h": "0.1"}) == (
        "p.html: widget 1 did not respond to a change of #lstm-x (slider): data- attributes stayed {'h': '0.1'}")
    assert "did not respond" in site_offline.widget_problem("p.html", 0, "#t (text)", {"proba": "[1]"}, {}), \
        "an attribute removed (input refused) is not an answer"
    assert site_offline.widget_problem("p.html", 0, "#t (text)", {}, {}) == (
        "p.html: widget 0 has no data- attributes to read its numbers from")
    assert site_offline.widget_problem("p.html", 2, None, {}, {}) == "p.html: widget 2 has no slider or text input to change"


def test_hosts_are_counted_by_page():
    problems = {"request to another host": ["a.html: cdn.jsdelivr.net (https://cdn.jsdelivr.net/x)",
                                            "a.html: cdn.jsdelivr.net (https://cdn.jsdelivr.net/y)",
                                            "api/b.html: cdn.jsdelivr.net (https://cdn.jsdelivr.net/x)",
                                            "a.html: fonts.googleapis.com (https://fonts.googleapis.com/css2)"]}
    assert site_offline.hosts(problems) == {"cdn.jsdelivr.net": 2, "fonts.googleapis.com": 1}


VENDOR = ROOT / "nbs" / "vendor"
QUARTO = (ROOT / "nbs" / "_quarto.yml").read_text()


def test_mathjax_is_served_by_the_site():
    "The pinned MathJax is committed where _quarto.yml loads it from, at the version its lockfile pins."
    url = re.search(r"html-math-method:\s*\n\s*method: mathjax\s*\n\s*url: \"(/[^\"]+)\"", QUARTO).group(1)
    assert (ROOT / "nbs" / url.lstrip("/")).is_file(), f"{url} is not in nbs/: make vendor"
    assert re.search(r"^\s*mathjax: false\s*$", QUARTO, re.M), "Quarto's template adds cdnjs' polyfill otherwise"
    assert re.search(r"resources: \[[^]]*vendor/mathjax/", QUARTO)
    assert "document.fonts.ready" in QUARTO and "MathJax.startup.defaultPageReady()" in QUARTO, \
        "formulas are sized against the text's font only once it has loaded"
    lock = json.loads((VENDOR / "package-lock.json").read_text())
    pinned = json.loads((VENDOR / "package.json").read_text())["dependencies"]["mathjax"]
    assert lock["packages"]["node_modules/mathjax"]["version"] == pinned
    assert json.loads((VENDOR / "mathjax" / "package.json").read_text())["version"] == pinned, "make vendor"
    fonts = list((VENDOR / "mathjax" / "es5" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    assert len(fonts) > 20 and (VENDOR / "mathjax" / "LICENSE").is_file()


def test_the_theme_fetches_no_web_font():
    "cosmo's import from Google Fonts is off; its font comes from the site, every file the stylesheet names there."
    scss = (ROOT / "nbs" / re.search(r"theme: \[cosmo, (\S+)\]", QUARTO).group(1)).read_text()
    assert re.search(r"^\$web-font-path: false;", scss, re.M)
    css = re.search(r"^\s*css: \[(vendor/[^,\]]+\.css)", QUARTO, re.M).group(1)
    text = (ROOT / "nbs" / css).read_text()
    files = re.findall(r"url\(([^)]+)\)", text)
    assert len(files) == 21 and not [f for f in files if not ((ROOT / "nbs" / css).parent / f).is_file()]
    assert not re.search(r"https?://", text) and "font-family: 'Source Sans Pro'" in text
    assert re.search(r"resources: \[[^]]*vendor/source-sans-pro/files/", QUARTO)


def test_fontsource_rules_keep_only_woff2():
    import vendor
    rule = "src: url(./files/a-latin-400-normal.woff2) format('woff2'), url(./files/a-latin-400-normal.woff) format('woff');"
    assert vendor.woff2_only(rule) == "src: url(./files/a-latin-400-normal.woff2) format('woff2');"


def test_the_site_copies_the_book_s_modules():
    assert re.search(r"resources: \[[^]]*js/\*\.js, js/\*\.json", QUARTO)


def test_make_vendor_rebuilds_from_the_lockfile():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nvendor:\n", 1)[1].split("\n\n", 1)[0]
    assert "npm ci" in recipe and "package-lock.json" in recipe and "npm install" not in recipe
    assert "tools/vendor.py" in recipe


OFFLINE_PAGE = """<html><head>{head}</head><body><main>
<p>Inline <span class="math inline">\\(h_t = o_t \\odot \\tanh(C_t)\\)</span> and a display</p>
<p><span class="math display">\\[C_t = f_t \\odot C_{{t-1}}\\]</span></p>
<img src="https://mybinder.org/badge_logo.svg">
<pre><code>re.compile(r"\\(")  # not a formula</code></pre>
{body}
</main></body></html>"""
WIDGET = """<div id="w"></div><div id="dead"></div><script type="module">
import {mount} from "./widget.js";
mount(document.getElementById("w"), true);
mount(document.getElementById("dead"), false);
</script>"""
WIDGET_JS = """export function mount(root, live) {
  root.classList.add("lstm-widget");
  const input = document.createElement("input");
  Object.assign(input, {type: "range", min: -1, max: 1, step: 0.01, value: 0});
  root.appendChild(input);
  const draw = () => { root.dataset.h = Math.tanh(Number(input.value)).toFixed(4); };
  if (live) input.addEventListener("input", draw);
  draw();
}"""


def test_offline_check_in_chromium(tmp_path):
    "A made-up site: MathJax from the site typesets; a CDN script, a script error, a dead widget are each caught."
    why = browser.unavailable()
    if why: pytest.skip(why)
    shutil.copytree(VENDOR / "mathjax", tmp_path / "vendor" / "mathjax")
    mathjax = '<script src="../vendor/mathjax/es5/tex-chtml-full.js"></script>'
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "good.html").write_text(OFFLINE_PAGE.format(head=mathjax, body=""))
    (tmp_path / "widget.js").write_text(WIDGET_JS)
    (tmp_path / "bad.html").write_text(OFFLINE_PAGE.format(
        head='<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js"></script>'
             '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Source+Sans+Pro">',
        body=WIDGET + "<p>Left over: $$x$$</p><script>undefinedFunction()</script>"))
    (tmp_path / "nomath.html").write_text("<html><head><script>window.MathJax = {startup: {}};</script></head>"
                                          "<body><main><p>No formula here.</p></main></body></html>")
    problems = site_offline.check(tmp_path, ["api/good.html", "bad.html", "nomath.html"], timeout_ms=5_000)
    assert problems["request to another host"] == [
        "bad.html: cdn.jsdelivr.net (https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml-full.js)",
        "bad.html: fonts.googleapis.com (https://fonts.googleapis.com/css2?family=Source+Sans+Pro)"]
    assert [m.split(": ")[0] for m in problems["JavaScript error"]] == ["bad.html"]
    assert "undefinedFunction" in problems["JavaScript error"][0]
    assert problems["formula not rendered"] == ["bad.html: MathJax did not load or finish typesetting"]
    assert problems["widget does not respond"] == [
        "bad.html: widget 1 did not respond to a change of input (slider): data- attributes stayed {'h': '0.0000'}"]


WIDE = "x" * 200
TEST_PAGE = f"""<html><head><style>pre {{ overflow: auto; font: 14px monospace; }} table {{ border: 0 }}</style></head>
<body style="margin:0"><main id="quarto-document-content" style="width:500px">
<section id="fits"><div class="sourceCode"><pre class="sourceCode">short = 1</pre></div></section>
<section id="scrolls"><div class="sourceCode"><pre class="sourceCode">{WIDE}</pre></div></section>
<section id="folded"><details><summary>code</summary><div class="sourceCode"><pre class="sourceCode">{WIDE}</pre></div>
</details></section>
<section id="table"><div class="cell-output-display"><table><tr><td style="white-space:nowrap">{WIDE}</td></tr></table>
</div></section>
<section id="hidden"><div style="display:none"><pre>{WIDE}</pre></div></section>
</main></body></html>"""


def test_overflow_measured_in_chromium(tmp_path):
    "The measurement itself, on a made-up page: what scrolls, what passes the column, folded code opened."
    why = browser.unavailable()
    if why: pytest.skip(why)
    (tmp_path / "page.html").write_text(TEST_PAGE)
    found, no_math = site_overflow.measure(tmp_path, ["page.html"], widths=[1024])
    got = sorted((f["section"], f["kind"], f["element"]) for f in found)
    assert got == [("folded", "code", "pre.sourceCode"), ("scrolls", "code", "pre.sourceCode"),
                   ("table", "table", "table")], found
    assert all(f["box"] <= 500 < f["width"] for f in found if f["kind"] == "code") and no_math == []


# --- chapter numbers in the titles and the sidebar -----------------------------------------------------------------

def test_chapter_numbers_follow_the_file_names():
    cases = {"00_the_idea.ipynb": "0", "07_training.ipynb": "7", "11_translation.ipynb": "11", "12_x.ipynb": "12",
             "90_speed.ipynb": "A", "93_credits.ipynb": "D", "index.ipynb": None, "api/lstm.md": None}
    assert {name: number_titles.chapter_number(name) for name in cases} == cases
    assert number_titles.numbered("Training", "07_training.ipynb") == "7. Training"
    assert number_titles.numbered("7. Training", "07_training.ipynb") == "7. Training", "numbered once"
    assert number_titles.numbered("The fast path", "90_speed.ipynb") == "A. The fast path"
    assert number_titles.numbered("Home", "index.ipynb") == "Home"


def test_sidebar_lists_every_numbered_notebook(tmp_path):
    for name in ("03_cell.ipynb", "91_data.ipynb", "index.ipynb"): (tmp_path / name).write_text("{}")
    sidebar = "      - index.ipynb\n      - section: \"Part I\"\n        contents:\n          - 03_cell.ipynb\n"
    assert number_titles.unlisted(sidebar, tmp_path) == ["91_data.ipynb"]
    assert number_titles.unlisted(sidebar + "          - 91_data.ipynb\n", tmp_path) == []


def test_sidebar_numbers_every_chapter():
    assert number_titles.main([]) == 0


def test_page_titles_get_their_number_when_nbdev_renders(tmp_path):
    "The processor settings.ini names, run as nbdev_docs runs it: after nbdev's own front matter processor."
    nbdev_process = pytest.importorskip("nbdev.process")
    from nbdev.frontmatter import FrontmatterProc
    assert CFG["procs"] == "tools.number_titles:NumberTitles"
    nb = tmp_path / "07_training.ipynb"
    nb.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {},
                                         "source": ["# Training from scratch\n", "\n", "> How it learns."]}],
                              "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    proc = nbdev_process.NBProcessor(nb, [FrontmatterProc, number_titles.NumberTitles])
    proc.process()
    assert proc.nb.frontmatter_["title"] == "7. Training from scratch"
    assert "title: 7. Training from scratch" in proc.nb.cells[0].source


def test_equations_not_typeset_are_reported_not_passed(tmp_path):
    "A page whose MathJax never loads cannot have its equations measured: it is said, not counted as passing."
    why = browser.unavailable()
    if why: pytest.skip(why)
    (tmp_path / "math.html").write_text('<main id="quarto-document-content"><span class="math display">'
                                        '\\[x^2\\]</span></main>')
    found, no_math = site_overflow.measure(tmp_path, ["math.html"], widths=[1280], timeout_ms=1500)
    assert found == [] and no_math == ["1280 px: math.html: MathJax did not typeset; equations not measured"]


# --- tools/drop_requirejs.py: Quarto's require.js and jQuery taken out where nothing uses them ---------------------

REQUIRE_PAGE = """<html><head>
<script src="https://cdnjs.cloudflare.com/ajax/libs/jquery/3.5.1/jquery.min.js" integrity="sha512-x" crossorigin="anonymous" data-relocate-top="true"></script>
<script src="site_libs/quarto-nav/quarto-nav.js"></script>
<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js" integrity="sha512-y" crossorigin="anonymous"></script>
<script type="application/javascript">define('jquery', [],function() {return window.jQuery;})</script>
{extra}</head><body><div class="cell-output-display"><table class="dataframe"><tr><td>1</td></tr></table></div></body></html>"""


def test_requirejs_and_jquery_are_dropped_where_unused(tmp_path):
    import drop_requirejs
    page = REQUIRE_PAGE.replace("{extra}", "")
    out = drop_requirejs.drop(page)
    assert "cdnjs" not in out and "define(" not in out
    assert '<script src="site_libs/quarto-nav/quarto-nav.js"></script>' in out and 'class="dataframe"' in out
    assert drop_requirejs.drop(out) == out, "a page without them is left alone"
    for uses in ('<script>require(["plotly"], function (P) {})</script>', "<script>jQuery('.x').hide()</script>",
                 '<script type="application/vnd.jupyter.widget-view+json">{"model_id": "1"}</script>'):
        page = REQUIRE_PAGE.replace("{extra}", uses)
        assert drop_requirejs.drop(page) == page, uses
    f = tmp_path / "p.html"
    f.write_text(REQUIRE_PAGE.replace("{extra}", ""))
    assert drop_requirejs.main([str(f), str(tmp_path / "gone.html")]) == 0
    assert "cdnjs" not in f.read_text()


def test_quarto_runs_drop_requirejs_after_rendering():
    script = re.search(r"^\s*post-render: (\S+)$", QUARTO, re.M).group(1)
    assert (ROOT / "nbs" / script).resolve() == ROOT / "tools" / "drop_requirejs.py"
