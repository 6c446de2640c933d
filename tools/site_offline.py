#!/usr/bin/env python3
"""The site needs no other host: every page of the rendered site opened in headless Chromium, served from `_docs` on
127.0.0.1 with every other host blocked (tools/browser.py; badge images aside, they are links to other services).

A page fails on: a request to another host (the host is named), an uncaught JavaScript exception or a console error,
a formula MathJax left unrendered (a `span.math` without its typeset `mjx-container`, a TeX error, or `\\(`, `\\[`,
`$$` left in the text), and an interactive widget (an element of class `lstm-widget`) whose `data-` attributes do not
change when its first slider is moved or its text is edited. Pages with ES modules only work over http, as here.

    python tools/site_offline.py [PAGE.html ...]      # check _docs as it is
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import browser  # noqa: E402

# Runs in the page once MathJax is done: the formulas it did not typeset.
MATH_JS = r"""
() => {
  const main = document.querySelector('main') || document.body;
  const spans = [...main.querySelectorAll('span.math')];
  const untypeset = spans.filter(s => !s.querySelector('mjx-container'))
                         .map(s => s.textContent.trim().slice(0, 60));
  const errors = [...main.querySelectorAll('mjx-merror, mjx-container [data-mjx-error]')]
                   .map(e => (e.getAttribute('data-mjx-error') || e.textContent).trim().slice(0, 60));
  // TeX delimiters left in the prose (code, scripts and typeset math may hold them legitimately)
  const skip = 'pre, code, script, style, textarea, mjx-container, span.math';
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const leftover = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement && n.parentElement.closest(skip)) continue;
    const m = n.data.match(/\\\(|\\\[|\$\$/);
    if (m) leftover.push(n.data.slice(Math.max(0, m.index - 20), m.index + 40).replace(/\s+/g, ' ').trim());
  }
  return {spans: spans.length, untypeset, errors, leftover};
}
"""

# Runs in the page: each widget's data- attributes.
WIDGETS_JS = "() => [...document.querySelectorAll('.lstm-widget')].map(w => ({...w.dataset}))"

# Runs in the page for widget number `k`: change its first input the way a reader would, firing an `input` event.
# A slider goes to a quarter or three quarters of its range (whichever is further from where it is); text has its
# first letter replaced by the next one in the alphabet (B -> C), so it stays the same kind of input.
CHANGE_JS = r"""
(k) => {
  const w = document.querySelectorAll('.lstm-widget')[k];
  const input = w.querySelector('input[type=range], textarea, input[type=text], input:not([type])');
  if (!input) return null;
  if (input.type === 'range') {
    const lo = Number(input.min || 0), hi = Number(input.max || 100), v = Number(input.value);
    const a = lo + 0.25 * (hi - lo), b = lo + 0.75 * (hi - lo);
    input.value = String(Math.abs(v - a) > Math.abs(v - b) ? a : b);
  } else {
    const t = input.value;
    const next = c => c === 'z' ? 'a' : c === 'Z' ? 'A' : String.fromCharCode(c.charCodeAt(0) + 1);
    input.value = t ? next(t[0]) + t.slice(1) : 'a';
  }
  input.dispatchEvent(new Event('input', {bubbles: true}));
  input.dispatchEvent(new Event('change', {bubbles: true}));
  return (input.id ? '#' + input.id : input.tagName.toLowerCase()) + (input.type === 'range' ? ' (slider)' : ' (text)');
}
"""

# True once widget `k` has a data- attribute with a value other than `before`'s.
CHANGED_JS = ("([k, before]) => Object.entries(document.querySelectorAll('.lstm-widget')[k].dataset)"
              ".some(([name, v]) => before[name] !== v)")


def math_problems(page, found):
    "Messages for the formulas of `page` that MathJax left unrendered, from what MATH_JS returned."
    out = [f"{page}: formula not typeset: {t!r}" for t in found["untypeset"]]
    out += [f"{page}: TeX error in a formula: {t!r}" for t in found["errors"]]
    out += [f"{page}: TeX delimiters left in the text: {t!r}" for t in found["leftover"]]
    return out


def widget_problem(page, k, what, before, after):
    """A message when widget `k` of `page` did not respond to `what` (the input changed): its data- attributes
    `before` and `after` must differ, with at least one attribute given a new value (not only removed)."""
    if what is None: return f"{page}: widget {k} has no slider or text input to change"
    changed = {name: v for name, v in after.items() if before.get(name) != v}
    if changed: return None
    if not before and not after: return f"{page}: widget {k} has no data- attributes to read its numbers from"
    return f"{page}: widget {k} did not respond to a change of {what}: data- attributes stayed {before}"


def check(site, pages=None, timeout_ms=60_000):
    """{category: [message, ...]} for the pages (paths relative to `site`; default every page)."""
    site = Path(site)
    pages = pages or browser.pages_of(site)
    problems = {"request to another host": [], "JavaScript error": [], "formula not rendered": [],
                "widget does not respond": []}
    with browser.browse(site) as (open_page, visit):
        for path in pages:
            page = open_page(path, timeout_ms)
            try:  # modules may fetch their data (weights) after the load event
                page.wait_for_load_state("networkidle", timeout=10_000)
            except Exception:
                pass
            if not browser.wait_for_math(page, timeout_ms):
                problems["formula not rendered"].append(f"{path}: MathJax did not load or finish typesetting")
            else:
                problems["formula not rendered"] += math_problems(path, page.evaluate(MATH_JS))
            for k, before in enumerate(page.evaluate(WIDGETS_JS)):
                what = page.evaluate(CHANGE_JS, k)
                try:
                    page.wait_for_function(CHANGED_JS, arg=[k, before], timeout=3_000)
                except Exception:
                    pass
                after = page.evaluate(WIDGETS_JS)[k]
                msg = widget_problem(path, k, what, before, after)
                if msg: problems["widget does not respond"].append(msg)
        problems["request to another host"] = [f"{p}: {host} ({url[:120]})" for p, host, url in visit.outside]
        problems["JavaScript error"] = [f"{p}: {m}" for p, m in visit.errors]
    return problems


def hosts(problems):
    "{host: number of pages that asked it} from the 'request to another host' messages."
    out = {}
    for msg in problems.get("request to another host", []):
        page, rest = msg.split(": ", 1)
        out.setdefault(rest.split(" ", 1)[0], set()).add(page)
    return {h: len(p) for h, p in sorted(out.items())}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pages", nargs="*", help="pages under _docs (default: all)")
    ap.add_argument("--site", default=str(ROOT / "_docs"))
    args = ap.parse_args(argv)
    why = browser.unavailable("the offline check")
    if why:
        print(f"offline check skipped: {why}")
        return 0
    problems = check(args.site, args.pages or None)
    for category, found in problems.items():
        print(f"\n== {category}: {len(found)}")
        for msg in found: print("  " + msg)
    total = sum(map(len, problems.values()))
    print(f"\n{total} problem(s)" if total else "\nevery page loads from the site alone")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
