#!/usr/bin/env python3
"""The site needs no other host: every page of the rendered site opened in headless Chromium, served from `_docs` on
127.0.0.1 with every other host blocked (tools/browser.py; badge images aside, they are links to other services).

A page fails on: a request to another host (the host is named), an uncaught JavaScript exception or a console error,
a formula MathJax left unrendered (a `span.math` without its typeset `mjx-container`, a TeX error, or `\\(`, `\\[`,
`$$` left in the text), and an interactive widget (an element of class `lstm-widget`) whose `data-` attributes do not
change when its first slider is moved or its text is edited, or which does not show the numbers of its test vectors.

That last check drives each widget the way a reader would: for every case of the test vectors its chapter wrote next
to it (WIDGETS, looked up by the widget's `data-widget`), it sets the case's inputs on its sliders or text box, fires
their `input` events, and reads back the numbers the widget shows: at full precision from its `data-` attributes,
which must be within TOL of the test vectors, and as printed on the page (`data-shows` elements), which must be
those numbers rounded to the digits shown. A widget without known test vectors fails too. Pages with ES
modules only work over http, as here.

    python tools/site_offline.py [PAGE.html ...]      # check _docs as it is
    python tools/site_offline.py --shots DIR          # and screenshot each widget before and after its inputs change
"""
import argparse
import json
import math
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


# What the JavaScript must reproduce: "equal numpy's within 1e-4 on the notebook's test inputs". Both sides compute
# in float64 (tests/test_js.py bounds their gap at 1e-12 for a step and 1e-6 over the trained network's 101 steps);
# 1e-4 is what four printed decimals need.
TOL = 1e-4
# A number printed on the page is the widget's own number rounded to the digits shown (toFixed): within half a unit
# of its last digit, plus the float64 rounding of reading the printed decimal back (about 1e-16; this is ample).
READ_BACK = 1e-12


def _cell_case(case):
    "Chapter 3's widget: the slider settings of one stored case, and lstm_cell's h_t and C_t for them."
    inputs = {"#lstm-x": case["x"], "#lstm-h": case["h"], "#lstm-c": case["c"]}
    inputs.update({f"#lstm-b_{g}": b for g, b in zip("fiCo", case["b"])})
    return inputs, {"h": [case["h_t"]], "c": [case["c_t"]]}


def _recall_case(case):
    "Chapter 8's widget: the typed sequence of one held-out case, and numpy's answer and memory cell for it."
    return {"#recall-input": case["text"]}, {"proba": case["proba"], "c": case["c"]}


# data-widget: (the test vectors, a file next to the page, whose "cases" the chapter wrote; one case -> (inputs,
# outputs)).
# inputs map a CSS selector inside the widget to the value to set; outputs map a data- attribute (and the data-shows
# name of the same numbers on the page) to the numbers expected.
WIDGETS = {"cell": ("js/cell_widget.json", _cell_case),
           "recall": ("js/recall_weights.json", _recall_case)}


def widget_cases(folder, kind):
    "[(inputs, outputs), ...] for every stored case of the widget `kind`, read from its file in `folder`."
    vectors, case = WIDGETS[kind]
    return [case(c) for c in json.loads((Path(folder) / vectors).read_text(encoding="utf-8"))["cases"]]


def numbers(text):
    "The numbers of a data- attribute: one number, or a JSON array of them (flattened); None when there are none."
    if text is None: return None
    try:
        value = json.loads(text)
    except ValueError:
        try:
            return [float(text)]  # String(NaN), String(Infinity)
        except ValueError:
            return None
    flat = lambda v: [x for item in v for x in flat(item)] if isinstance(v, list) else [v]
    out = flat(value)
    return [float(x) for x in out] if all(isinstance(x, (int, float)) for x in out) else None


def shown_number(text):
    """(value, half a unit of its last digit) of a number as the page prints it: '0.6215', '−2.7542' (a minus sign),
    '99.9%' (a percentage: 0.999, 0.0005)."""
    t = text.strip().replace("\u2212", "-")
    scale = 100 if t.endswith("%") else 1
    t = t.rstrip("%").strip()
    decimals = len(t.split(".", 1)[1]) if "." in t else 0
    return float(t) / scale, 0.5 * 10 ** -decimals / scale


def distance(got, expected):
    "The largest absolute difference between two lists of numbers (inf when their lengths differ or one is NaN)."
    if got is None or len(got) != len(expected): return math.inf
    gaps = [abs(g - e) for g, e in zip(got, expected)]
    return math.inf if any(math.isnan(x) for x in gaps) else max(gaps, default=0.0)


def case_problems(where, outputs, data, shown, tol=TOL):
    """({name: distance}, {name: distance printed}, [message, ...]) for one case of a widget: its data- attributes
    `data` against the expected `outputs` (within `tol`), and its printed numbers `shown` ({name: [text, ...]})
    against its data- attributes, rounded to the digits printed. `where` names the widget and case in the messages."""
    dist, dist_shown, out = {}, {}, []
    for name, expected in outputs.items():
        got = numbers(data.get(name))
        dist[name] = distance(got, expected)
        if got is None:
            out.append(f"{where}: no numbers in its data-{name} attribute (it holds {data.get(name)!r})")
            continue
        if len(got) != len(expected):
            out.append(f"{where}: data-{name} holds {len(got)} numbers, the test vectors {len(expected)}")
            continue
        if not dist[name] <= tol:
            k = max(range(len(got)), key=lambda j: abs(got[j] - expected[j]) if not math.isnan(got[j]) else math.inf)
            out.append(f"{where}: {name} is {dist[name]:.3g} away from the test vectors (more than {tol:g}): "
                       f"{name}[{k}] is {got[k]!r}, the test vectors give {expected[k]!r}")
        texts = shown.get(name, [])
        if texts and len(texts) != len(expected):
            out.append(f"{where}: the page shows {len(texts)} numbers for {name}, "
                       f"the test vectors have {len(expected)}")
            continue
        for k, text in enumerate(texts):
            try:
                value, half = shown_number(text)
            except ValueError:
                out.append(f"{where}: the page shows {text!r} for {name}[{k}], not a number")
                continue
            dist_shown[name] = max(dist_shown.get(name, 0.0), abs(value - expected[k]))
            if not abs(value - got[k]) <= half + READ_BACK:
                out.append(f"{where}: the page shows {text.strip()!r} for {name}[{k}], which is {got[k]!r} "
                           f"(the test vectors give {expected[k]!r})")
    return dist, dist_shown, out


# Runs in the page for widget number `k`: set each input of `inputs` ({selector: value}) the way a reader would,
# firing `input` and `change` events; returns the selectors not found and the value each input holds afterwards.
SET_JS = r"""
([k, inputs]) => {
  const w = document.querySelectorAll('.lstm-widget')[k];
  const missing = [], held = {};
  for (const [selector, value] of Object.entries(inputs)) {
    const input = w.querySelector(selector);
    if (!input) { missing.push(selector); continue; }
    input.value = String(value);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.dispatchEvent(new Event('change', {bubbles: true}));
    held[selector] = input.value;
  }
  return {missing, held};
}
"""

# Runs in the page for widget number `k`: its data- attributes, and the text of its elements that show a number
# ({data-shows name: [text, ...]} in page order).
READ_JS = r"""
(k) => {
  const w = document.querySelectorAll('.lstm-widget')[k];
  const shown = {};
  for (const e of w.querySelectorAll('[data-shows]')) (shown[e.dataset.shows] ??= []).push(e.textContent);
  return {data: {...w.dataset}, shown};
}
"""


# Chromium keeps a slider's value as a decimal of 15 significant digits (0.8217701239287258 is held as
# 0.821770123928726): a setting is held to within half a unit of the 15th digit, 5e-15 of its size; twice that here.
HELD = 1e-14


def input_problems(where, inputs, held):
    """Messages for the inputs that do not hold the value set: text exactly, a number to 15 significant digits
    (HELD). The test vectors' outputs are for those inputs; a slider's step or range would snap or clamp them."""
    out = []
    for selector, value in inputs.items():
        got = held.get(selector)
        if isinstance(value, str):
            if got != value: out.append(f"{where}: {selector} holds {got!r} after it was set to {value!r}")
        elif got is None or not abs(float(got) - value) <= HELD * max(abs(value), 1e-300):
            out.append(f"{where}: {selector} holds {got} after it was set to {value!r} (its step or range?)")
    return out


def check_widget(page, path, k, kind, site, tol=TOL):
    """Drive widget `k` of the open `page` (at `path` in `site`) through every case of its test vectors, read from
    the folder of the page (as the page's own script fetches them). Returns (measured, problems):
    measured = {"page", "widget", "kind", "cases", "distance": {name: largest distance}, "shown": {name: largest
    distance printed}} and the messages of what failed."""
    where = f"{path}: widget {k} ({kind})" if kind else f"{path}: widget {k} (no data-widget)"
    if kind not in WIDGETS:
        return None, [f"{where}: no test vectors to check its numbers against: its data-widget is not one of "
                      f"{sorted(WIDGETS)} (tools/site_offline.py's WIDGETS)"]
    try:
        cases = widget_cases((Path(site) / path).parent, kind)
    except (OSError, ValueError, KeyError) as exc:
        return None, [f"{where}: its test vectors {WIDGETS[kind][0]} cannot be read: {exc}"]
    if not cases: return None, [f"{where}: its test vectors {WIDGETS[kind][0]} have no case"]
    problems, worst, worst_shown = [], {}, {}
    for n, (inputs, outputs) in enumerate(cases):
        set_ = page.evaluate(SET_JS, [k, inputs])
        if set_["missing"]:
            problems.append(f"{where}: has no {', '.join(set_['missing'])} to set")
            break
        problems += input_problems(f"{where} case {n}", inputs, set_["held"])
        read = page.evaluate(READ_JS, k)
        dist, dist_shown, msgs = case_problems(f"{where} case {n}", outputs, read["data"], read["shown"], tol)
        problems += msgs
        for name, d in dist.items(): worst[name] = max(worst.get(name, 0.0), d)
        for name, d in dist_shown.items(): worst_shown[name] = max(worst_shown.get(name, 0.0), d)
    measured = {"page": path, "widget": k, "kind": kind, "cases": len(cases), "distance": worst, "shown": worst_shown}
    return measured, problems


def measured_line(m):
    "One line for what check_widget measured."
    far = ", ".join(f"{name} {d:.2g}" for name, d in m["distance"].items())
    shown = ", ".join(f"{name} {d:.2g}" for name, d in m["shown"].items())
    return (f"{m['page']} widget {m['widget']} ({m['kind']}): {m['cases']} test cases; largest distance to the test "
            f"vectors: {far}" + (f"; of the numbers printed on the page: {shown}" if shown else ""))


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


def check(site, pages=None, timeout_ms=60_000, measured=None, shots=None):
    """{category: [message, ...]} for the pages (paths relative to `site`; default every page). What the widgets'
    checks measured is appended to the list `measured` when one is given (see check_widget); with `shots` (a folder),
    each widget is screenshot as the page opened and after its last test case."""
    site = Path(site)
    pages = pages or browser.pages_of(site)
    problems = {"request to another host": [], "JavaScript error": [], "formula not rendered": [],
                "widget does not respond": [], "widget off its test vectors": []}
    if shots: Path(shots).mkdir(parents=True, exist_ok=True)
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
                shot = Path(shots) / f"{Path(path).with_suffix('').as_posix().replace('/', '-')}-widget{k}" \
                    if shots else None
                if shot: page.locator(".lstm-widget").nth(k).screenshot(path=f"{shot}-before.png")
                what = page.evaluate(CHANGE_JS, k)
                try:
                    page.wait_for_function(CHANGED_JS, arg=[k, before], timeout=3_000)
                except Exception:
                    pass
                after = page.evaluate(WIDGETS_JS)[k]
                msg = widget_problem(path, k, what, before, after)
                if msg: problems["widget does not respond"].append(msg)
                m, msgs = check_widget(page, path, k, before.get("widget"), site)
                problems["widget off its test vectors"] += msgs
                if m is not None and measured is not None: measured.append(m)
                if shot: page.locator(".lstm-widget").nth(k).screenshot(path=f"{shot}-after.png")
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
    ap.add_argument("--shots", metavar="DIR", help="screenshot each widget before and after its inputs change")
    args = ap.parse_args(argv)
    why = browser.unavailable("the offline check")
    if why:
        print(f"offline check skipped: {why}")
        return 0
    measured = []
    problems = check(args.site, args.pages or None, measured=measured, shots=args.shots)
    for m in measured: print(measured_line(m))
    for category, found in problems.items():
        print(f"\n== {category}: {len(found)}")
        for msg in found: print("  " + msg)
    total = sum(map(len, problems.values()))
    print(f"\n{total} problem(s)" if total else "\nevery page loads from the site alone")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
