#!/usr/bin/env python3
"""Nothing scrolls sideways: every code block, table, cell output and display equation of every page of the rendered
site, measured in headless Chromium at window widths of 1280 and 1024 px.

An element fails when it is wider than the box it sits in: its own `scrollWidth` exceeds its `clientWidth` (it
scrolls, or clips, sideways), or its right edge passes the right edge of the page's content column. Folded code
(`<details>`) is opened first, since a reader is one click away from it. Of an element and its ancestors that all
overflow because of the same content, the innermost is reported.

The site is served from `_docs` on 127.0.0.1 and opened with every other host blocked (tools/browser.py, shared with
tools/site_offline.py): MathJax is the site's own copy. Needs Playwright (`pip install playwright`) and a Chromium.

    python tools/site_overflow.py [--widths 1280 1024] [PAGE.html ...]    # measure _docs as it is
"""
import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import browser  # noqa: E402

WIDTHS = (1280, 1024)
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


def measure(site, pages=None, widths=WIDTHS, timeout_ms=60_000):
    """Every failing element of the pages (paths relative to `site`; default every page) at each window width, as
    `parse_measurement` gives them; plus the pages where MathJax did not typeset."""
    site = Path(site)
    pages = pages or browser.pages_of(site)
    found, no_math = [], []
    for width in widths:
        with browser.browse(site, width) as (open_page, _):
            for path in pages:
                page = open_page(path, timeout_ms)
                # once MathJax has failed to load, it is not waited for a minute on every page
                if not browser.wait_for_math(page, 5_000 if no_math else timeout_ms):
                    no_math.append(f"{width} px: {path}: MathJax did not typeset; equations not measured")
                page.evaluate("() => document.fonts.ready.then(() => true)")
                raw = page.evaluate(MEASURE_JS, [SELECTORS, COLUMN, TOLERANCE])
                found += parse_measurement(raw, path, width)
    return found, no_math


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", nargs="*", help="pages under _docs (default: all)")
    ap.add_argument("--site", default=str(ROOT / "_docs"))
    ap.add_argument("--widths", nargs="+", type=int, default=list(WIDTHS))
    ap.add_argument("--json", help="also write the measurements to this file")
    args = ap.parse_args(argv)
    why = browser.unavailable("the overflow check")
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
