#!/usr/bin/env python3
"""Nothing scrolls sideways: every code block, table, cell output and display equation of every page of the rendered
site, measured in headless Chromium at window widths of 1280 and 1024 px.

An element fails when it is wider than the box it sits in: its own `scrollWidth` exceeds its `clientWidth` (it
scrolls, or clips, sideways), or its right edge passes the right edge of the page's content column. Folded code
(`<details>`) is opened first, since a reader is one click away from it. Of an element and its ancestors that all
overflow because of the same content, the innermost is reported.

The site is served from `_docs` on 127.0.0.1 over http. MathJax comes from its CDN unless a local copy of MathJax 3's
`es5/` folder is in `$MATHJAX_DIR` or `~/.cache/mathjax3` (`npm pack mathjax@3`), which is then served in its place,
so equations are measured offline too. Needs Playwright (`pip install playwright`) and a Chromium: `$CHROMIUM`,
`chromium` or `chromium-browser` on PATH, or Playwright's own download.

    python tools/site_overflow.py [--widths 1280 1024] [PAGE.html ...]    # measure _docs as it is
"""
import argparse
import functools
import http.server
import json
import os
import shutil
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = (1280, 1024)
HEIGHT = 900
# What is measured, by kind. Quarto puts the page's text in <main id="quarto-document-content">.
SELECTORS = {
    "code": ["div.sourceCode", "pre"],
    "table": ["table", "div.cell-output-display > div"],
    "output": [".cell-output", ".cell-output-stdout", ".cell-output-stderr", ".cell-output-display"],
    "equation": ['mjx-container[display="true"]', "span.math.display"],
}
COLUMN = "main#quarto-document-content, main.content"
# Overflow of a pixel or less is rounding of fractional widths, not a scroll bar.
TOLERANCE = 1
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/"

# Runs in the page: returns {"column": width, "items": [...]}, each item a failing element.
MEASURE_JS = r"""
([selectors, columnSelector, tolerance]) => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const column = document.querySelector(columnSelector) || document.body;
  const colRect = column.getBoundingClientRect();
  const kinds = new Map();
  for (const [kind, sels] of Object.entries(selectors))
    for (const el of column.querySelectorAll(sels.join(',')))
      if (!kinds.has(el)) kinds.set(el, kind);
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const failing = [];
  for (const [el, kind] of kinds) {
    if (!visible(el)) continue;
    const rect = el.getBoundingClientRect();
    const scroll = el.scrollWidth - el.clientWidth;
    const past = Math.round(rect.right - colRect.right);
    const over = Math.max(el.clientWidth > 0 ? scroll : 0, past);
    if (over > tolerance) failing.push({el, kind, over, scroll, past,
                                        width: Math.max(el.scrollWidth, Math.round(rect.width)),
                                        box: el.clientWidth});
  }
  // keep the innermost of nested failing elements
  const inner = failing.filter(a => !failing.some(b => b !== a && a.el.contains(b.el)));
  const label = el => {
    const cls = [...el.classList].slice(0, 2).map(c => '.' + c).join('');
    const section = el.closest('section[id]');
    return {tag: el.tagName.toLowerCase() + cls, section: section ? section.id : '',
            text: (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60)};
  };
  return {column: Math.round(colRect.width), items: inner.map(f => ({
    kind: f.kind, over: f.over, scroll: f.scroll, past: f.past, width: f.width, box: f.box, ...label(f.el)}))};
}
"""


def parse_measurement(raw, page, width):
    """The failing elements of one page at one window width, from what MEASURE_JS returned: a list of dicts with
    page, window, column, kind, element, section, text, width (px of content), box (px it has) and over (px)."""
    if not isinstance(raw, dict) or "items" not in raw:
        raise ValueError(f"{page} at {width} px: the measurement returned {raw!r}, not {{'column', 'items'}}")
    out = []
    for item in raw["items"]:
        over = int(round(item["over"]))
        if over <= TOLERANCE: continue
        out.append({"page": page, "window": width, "column": raw["column"], "kind": item["kind"],
                    "element": item["tag"], "section": item.get("section", ""), "text": item.get("text", ""),
                    "width": int(item["width"]), "box": int(item["box"]), "over": over})
    return out


def message(f):
    "One line per failing element: where, what, how wide, by how much."
    where = f"{f['page']}#{f['section']}" if f["section"] else f["page"]
    return (f"{f['window']} px: {where}: {f['kind']} {f['element']} is {f['width']} px in {f['box']} px "
            f"(column {f['column']} px), {f['over']} px too wide: {f['text'][:50]!r}")


def summary(found):
    "{(page, window): (count, widest overflow in px)}, pages in order."
    out = {}
    for f in found:
        n, worst = out.get((f["page"], f["window"]), (0, 0))
        out[(f["page"], f["window"])] = (n + 1, max(worst, f["over"]))
    return dict(sorted(out.items()))


def find_chromium():
    "The path of a Chromium to drive, or None."
    for cand in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if cand and shutil.which(cand): return shutil.which(cand)
    return None


def unavailable():
    "Why the measurement cannot run here (a sentence), or None when it can."
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return ("the overflow check needs Playwright: pip install playwright (it drives the system's chromium, "
                "or run `playwright install chromium`)")
    if find_chromium() is None and not _playwright_has_chromium():
        return "the overflow check needs Chromium: apt-get install chromium (or `playwright install chromium`)"
    return None


def _playwright_has_chromium():
    from playwright.sync_api import sync_playwright
    try:
        with sync_playwright() as p:
            return Path(p.chromium.executable_path).exists()
    except Exception:
        return False


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass


@contextmanager
def serve(site):
    "Serve the folder `site` on 127.0.0.1 (a free port); yields its base URL."
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def mathjax_dir():
    "A local copy of MathJax 3's es5/ folder, or None."
    for cand in (os.environ.get("MATHJAX_DIR"), Path.home() / ".cache" / "mathjax3"):
        if cand and (Path(cand) / "tex-chtml-full.js").is_file(): return Path(cand)
    return None


def _route(base, local_mathjax):
    "A Playwright route handler: the site as served, MathJax from the local copy, other outside requests as they are."
    def handle(route):
        url = route.request.url
        if url.startswith(base): return route.continue_()
        if local_mathjax is not None and url.startswith(MATHJAX_CDN):
            path = local_mathjax / url[len(MATHJAX_CDN):].split("?")[0]
            if path.is_file():
                ctype = "application/javascript" if path.suffix == ".js" else None
                return route.fulfill(path=str(path), content_type=ctype)
            return route.abort()
        if "polyfill" in url: return route.abort()  # cdnjs' polyfill: not needed by Chromium
        return route.continue_()
    return handle


def measure(site, pages=None, widths=WIDTHS, timeout_ms=60_000):
    """Every failing element of the pages (paths relative to `site`; default every page but site_libs) at each
    window width, as `parse_measurement` gives them; plus the pages where MathJax did not typeset."""
    from playwright.sync_api import sync_playwright
    site = Path(site)
    if pages is None:
        pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "site_libs" not in p.parts)
    found, no_math = [], []
    chromium = find_chromium()
    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            for width in widths:
                ctx = browser.new_context(viewport={"width": width, "height": HEIGHT}, device_scale_factor=1)
                ctx.route("**/*", _route(base, mathjax_dir()))
                page = ctx.new_page()
                for path in pages:
                    page.goto(base + path, wait_until="load", timeout=timeout_ms)
                    has_math = page.evaluate("() => !!document.querySelector('span.math')")
                    if has_math:
                        try:  # once MathJax has failed to load, it is not waited for a minute on every page
                            page.wait_for_function("() => window.MathJax && MathJax.startup && "
                                                   "MathJax.startup.promise && document.querySelector('mjx-container')",
                                                   timeout=5_000 if no_math else timeout_ms)
                            page.evaluate("() => MathJax.startup.promise")
                        except Exception:
                            no_math.append(f"{width} px: {path}: MathJax did not typeset; equations not measured")
                    page.evaluate("() => document.fonts.ready.then(() => true)")
                    raw = page.evaluate(MEASURE_JS, [SELECTORS, COLUMN, TOLERANCE])
                    found += parse_measurement(raw, path, width)
                ctx.close()
        finally:
            browser.close()
    return found, no_math


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", nargs="*", help="pages under _docs (default: all)")
    ap.add_argument("--site", default=str(ROOT / "_docs"))
    ap.add_argument("--widths", nargs="+", type=int, default=list(WIDTHS))
    ap.add_argument("--json", help="also write the measurements to this file")
    args = ap.parse_args(argv)
    why = unavailable()
    if why:
        print(f"overflow check skipped: {why}")
        return 0
    found, no_math = measure(args.site, args.pages or None, args.widths)
    for f in found: print(message(f))
    for m in no_math: print(m)
    for (page, window), (n, worst) in summary(found).items():
        print(f"{window} px  {page:32s} {n:3d} element(s), widest overflow {worst} px")
    if args.json: Path(args.json).write_text(json.dumps(found, indent=1))
    print(f"{len(found)} element(s) wider than their column" if found else "nothing scrolls sideways")
    return 1 if found or no_math else 0


if __name__ == "__main__":
    sys.exit(main())
