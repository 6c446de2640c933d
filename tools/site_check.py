#!/usr/bin/env python3
"""Render the book's website and check what a reader would trip over.

Fails on: a notebook without its page, a Quarto warning during the render, a local link or anchor that leads
nowhere, `NBVAL` text on a page, a function exported by a teaching chapter whose source is not on its page, a
line of code or output wider than the page's code column; and in headless Chromium, with every host but the site
blocked: any code block, table, output or display equation wider than its column at a window 1280 or 1024 px wide
(tools/site_overflow.py), any request to another host, JavaScript error, formula left unrendered, or interactive
widget that does not respond to a changed input with the numbers its test vectors give (tools/site_offline.py sets
each widget to the inputs of its chapter's test cases, reads back what it shows and prints the largest distance).
The Chromium checks are skipped, with a message saying why, where Playwright or Chromium is missing.

    python tools/site_check.py --render       # nbdev_docs (needs Quarto on PATH), then check _docs/
    python tools/site_check.py                # check the _docs/ already there
    python tools/site_check.py --no-browser   # without the Chromium measurement
"""
import argparse
import ast
import configparser
import json
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import browser  # noqa: E402
import site_offline  # noqa: E402
import site_overflow  # noqa: E402
# About this many characters of code fit the content column before a scroll bar appears.
MAX_LINE = 75
# The page of appendix A, which shows the fast path's source for the chapters that only name it.
FAST_PATH_PAGE = "speed.html"
# Chapters whose exported functions implement what the text explains: their source must be on the page.
TEACHING = ["01_activations", "02_gates", "03_cell", "04_lstm", "05_keras", "06_bptt", "07_training"]
# Quarto's warnings and errors, e.g. "WARNING (.../main.lua:17878) Unknown meta key ..."; not TensorFlow's
# "WARNING: All log messages before absl::InitializeLog()", which nbdev's run of the import cells prints.
WARNING = re.compile(r"^\s*(\x1b\[[0-9;]*m)*(WARN(ING)?|ERROR)\b(?!.*absl::InitializeLog)")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    "What the checks need from one HTML page: ids, links, visible text, and the text of every <pre> block."

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.text, self.blocks = set(), [], [], []
        self._stack = []        # (tag, classes) of the open elements
        self._pre = None        # text of the <pre> block being read, if any

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"): self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"): self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key) is not None and tag in ("a", "link", "img", "script", "source", "iframe"):
                self.links.append(attrs[key])
        if tag in VOID: return
        self._stack.append((tag, set((attrs.get("class") or "").split())))
        if tag == "pre" and self._pre is None:
            self._pre, self._pre_kind = [], self._kind()

    def _kind(self):
        "'output' for a cell's printed output, 'code' for source code."
        # source shown as a cell's output (lstm_book.diagram.show_source, folded checks and the fast path) is code
        if self._stack and "sourceCode" in self._stack[-1][1]: return "code"
        classes = set().union(*(c for _, c in self._stack))
        if classes & {"cell-output", "cell-output-stdout", "cell-output-stderr", "cell-output-display"}:
            return "output"
        return "code"

    def handle_endtag(self, tag):
        if tag in VOID: return
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == "pre" and self._pre is not None and not any(t == "pre" for t, _ in self._stack):
                self.blocks.append((self._pre_kind, "".join(self._pre)))
                self._pre = None
            if open_tag == tag: break

    def handle_data(self, data):
        if self._pre is not None: self._pre.append(data)
        if not any(t in ("script", "style") for t, _ in self._stack): self.text.append(data)


def parse(html):
    page = Page()
    page.feed(html)
    page.close()
    return page


def long_lines(page, max_line=MAX_LINE):
    "(kind, length, line) for each line of a <pre> block longer than `max_line` characters."
    return [(kind, len(line), line) for kind, block in page.blocks for line in block.splitlines()
            if len(line.rstrip()) > max_line]


HIDDEN = re.compile(r"^#\|\s*(hide|export|exporti|include:\s*false|echo:\s*false)\s*$", re.M)
NO_OUTPUT = re.compile(r"^#\|\s*(hide|include:\s*false|output:\s*false)\s*$", re.M)
FENCE = re.compile(r"^(```|~~~)")


def notebook_lines(nb):
    """(cell number, kind, line) for every line a reader sees in a <pre> block of the notebook's page, from the
    notebook alone: code a cell shows (not `#| export`, `#| exporti`, `#| hide`, `echo: false` or `include: false`;
    directive lines are dropped), code blocks in markdown, and text outputs (stream, errors, and plain-text results
    that have no HTML or image form)."""
    out = []
    for i, cell in enumerate(json.loads(Path(nb).read_text(encoding="utf-8"))["cells"]):
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            inside = False
            for line in src.splitlines():
                if FENCE.match(line.strip()): inside = not inside; continue
                if inside: out.append((i, "code", line))
            continue
        if cell["cell_type"] != "code": continue
        if not HIDDEN.search(src):
            out += [(i, "code", l) for l in src.splitlines() if not l.startswith("#|")]
        if NO_OUTPUT.search(src): continue
        for o in cell.get("outputs", []):
            if o["output_type"] == "stream": text = "".join(o["text"])
            elif o["output_type"] == "error": text = "\n".join(o.get("traceback", []))
            else:
                data = o.get("data", {})
                if any(k.startswith(("image/", "text/html", "text/markdown")) for k in data): continue
                text = "".join(data.get("text/plain", ""))
            out += [(i, "output", l) for l in text.splitlines()]
    return out


def notebook_wide_lines(nb, max_line=MAX_LINE):
    "(cell number, kind, length, line) for each line of `notebook_lines(nb)` wider than `max_line` characters."
    return [(i, kind, len(l.rstrip()), l) for i, kind, l in notebook_lines(nb) if len(l.rstrip()) > max_line]


def nbval_text(page):
    return [line.strip() for line in "".join(page.text).splitlines() if "NBVAL" in line]


def dead_links(page, page_path, site, pages):
    """Local links of `page` (at `page_path` under `site`) whose file or anchor does not exist.
    `pages` maps a site path to the set of ids of that page (None: not parsed, ids unknown)."""
    dead = []
    for link in page.links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")): continue
        if not parts.path:
            if parts.fragment and unquote(parts.fragment) not in page.ids: dead.append(link)
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), unquote(parts.path)))
        if target.startswith("../"):
            dead.append(link); continue
        if (site / target).is_dir(): target = posixpath.join(target, "index.html")
        if not (site / target).exists():
            dead.append(link)
        elif parts.fragment and pages.get(target) is not None and unquote(parts.fragment) not in pages[target]:
            dead.append(link)
    return dead


def html_name(nb):
    "The page nbdev renders notebook `nb` to: index.ipynb -> index.html, 04_lstm.ipynb -> lstm.html."
    if nb.name.startswith("index."): return "index.html"
    return re.sub(r"^\d+[a-zA-Z0-9]*_", "", nb.name.lower()).replace(".ipynb", ".html")


def exported_names(nb):
    "Names of the functions and classes a notebook exports, with whether their cell shows the source."
    names = []
    for cell in json.loads(Path(nb).read_text(encoding="utf-8"))["cells"]:
        src = "".join(cell["source"])
        m = re.search(r"^#\|\s*(export|exports|exporti)\b", src, re.M)
        if cell["cell_type"] != "code" or not m: continue
        body = ast.parse("\n".join(l for l in src.splitlines() if not l.lstrip().startswith("%"))).body
        names += [(s.name, s.__class__.__name__) for s in body
                  if isinstance(s, (ast.FunctionDef, ast.ClassDef)) and not s.name.startswith("_")]
    return names


def hidden_sources(page, names):
    "The exported names whose `def name(` or `class name` does not appear in a code block of the page."
    code = "\n".join(block for kind, block in page.blocks if kind == "code")
    missing = []
    for name, kind in names:
        pattern = rf"^\s*def {name}\(" if kind == "FunctionDef" else rf"^\s*class {name}\b"
        if not re.search(pattern, code, re.M): missing.append(name)
    return missing


def render(root):
    "Run nbdev_docs, echo its output, and return the lines that are warnings."
    nbdev_docs = Path(sys.executable).parent / "nbdev_docs"
    proc = subprocess.run([str(nbdev_docs)], cwd=root, capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    print(out[-20000:])
    if proc.returncode != 0: raise SystemExit(f"nbdev_docs failed (exit status {proc.returncode})")
    return [l.strip() for l in out.splitlines() if WARNING.search(l)]


def check(root=ROOT, warnings=(), max_line=MAX_LINE, teaching=TEACHING):
    "Every problem found, as {category: [message, ...]}."
    cfg = configparser.ConfigParser(delimiters=["="])
    cfg.read(Path(root) / "settings.ini", encoding="utf-8")
    site, nbs = Path(root) / cfg["DEFAULT"]["doc_path"], Path(root) / cfg["DEFAULT"]["nbs_path"]
    problems = {"missing page": [], "Quarto warning": list(warnings), "dead link": [], "NBVAL on page": [],
                "source not on page": [], "line too long": []}
    if not site.is_dir():
        problems["missing page"].append(f"{site} does not exist: render the site first (--render)")
        return problems
    parsed = {p.relative_to(site).as_posix(): parse(p.read_text(encoding="utf-8", errors="replace"))
              for p in sorted(site.rglob("*.html")) if "site_libs" not in p.parts}
    ids = {path: page.ids for path, page in parsed.items()}
    for nb in sorted(nbs.glob("*.ipynb")):
        if nb.name.startswith("_"): continue
        if html_name(nb) not in parsed: problems["missing page"].append(f"{nb.name}: no {html_name(nb)}")
    for path, page in parsed.items():
        problems["dead link"] += [f"{path}: {link}" for link in dead_links(page, path, site, ids)]
        problems["NBVAL on page"] += [f"{path}: {line}" for line in nbval_text(page)]
        problems["line too long"] += [f"{path}: {kind} line of {n} > {max_line} chars: {line.strip()[:60]}..."
                                      for kind, n, line in long_lines(page, max_line)]
    # the fast path (lstm_forward, lstm_backward and their helpers) is shown in appendix A, not in its chapter
    appendix_a = parsed.get(FAST_PATH_PAGE)
    for stem in teaching:
        nb = nbs / f"{stem}.ipynb"
        page = parsed.get(html_name(nb))
        if page is None: continue
        missing = hidden_sources(page, exported_names(nb))
        if appendix_a is not None:
            shown_in_a = set(missing) - set(hidden_sources(appendix_a, [(n, k) for n, k in exported_names(nb)
                                                                       if n in missing]))
            missing = [n for n in missing if n not in shown_in_a]
        problems["source not on page"] += [f"{html_name(nb)}: {name}" for name in missing]
    return problems


def browser_check(root=ROOT, skip=False, shots=None):
    """{category: [message, ...]} of the checks in Chromium: tools/site_offline.py's (other hosts, JavaScript
    errors, formulas, widgets against their test vectors) and tools/site_overflow.py's measurement of every page at
    1280 and 1024 px; empty, with a message saying why, when they are skipped or cannot run here. With `shots` (a
    folder), each widget is screenshot before and after its inputs change."""
    why = "--no-browser" if skip else browser.unavailable("the checks in Chromium")
    if why:
        print(f"site-check: the checks in Chromium are skipped: {why}")
        return {}
    cfg = configparser.ConfigParser(delimiters=["="])
    cfg.read(Path(root) / "settings.ini", encoding="utf-8")
    site = Path(root) / cfg["DEFAULT"]["doc_path"]
    if not site.is_dir(): return {}
    measured = []
    problems = site_offline.check(site, measured=measured, shots=shots)
    for m in measured: print(site_offline.measured_line(m))
    for host, n in site_offline.hosts(problems).items():
        print(f"{host:40s} asked by {n} page(s)")
    found, no_math = site_overflow.measure(site)
    for (page, window), (n, worst) in site_overflow.summary(found).items():
        print(f"{window} px  {page:32s} {n:3d} element(s) wider than their column, by up to {worst} px")
    problems.update({"wider than its column": [site_overflow.message(f) for f in found], "not measured": no_math})
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--render", action="store_true", help="run nbdev_docs first (needs Quarto on PATH)")
    ap.add_argument("--max-line", type=int, default=MAX_LINE, help=f"widest line of code (default {MAX_LINE})")
    ap.add_argument("--no-browser", action="store_true", help="skip the checks in headless Chromium")
    ap.add_argument("--shots", metavar="DIR", help="screenshot each interactive widget before and after its "
                    "inputs change, into DIR")
    ap.add_argument("--notebooks", nargs="*", metavar="NB", help="no render: list the lines of these notebooks "
                    "(all when none are named) that would be wider than the column on their page")
    args = ap.parse_args(argv)
    if args.notebooks is not None:
        nbs = [Path(n) for n in args.notebooks] or sorted((ROOT / "nbs").glob("[0-9]*.ipynb"))
        total = 0
        for nb in nbs:
            wide = notebook_wide_lines(nb, args.max_line)
            total += len(wide)
            for i, kind, n, line in wide: print(f"{nb.name} cell {i} {kind} {n}: {line.strip()[:70]}")
        print(f"{total} line(s) wider than {args.max_line} characters")
        return 1 if total else 0
    warnings = render(ROOT) if args.render else []
    problems = check(ROOT, warnings, args.max_line)
    problems.update(browser_check(ROOT, skip=args.no_browser, shots=args.shots))
    total = sum(map(len, problems.values()))
    for category, found in problems.items():
        print(f"\n== {category}: {len(found)}")
        for msg in found: print("  " + msg)
    print(f"\nsite-check: {total} problem(s)" if total else "\nsite-check: every page passed")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
