"""The interactive cells' JavaScript (nbs/js/lstm.js) computes what numpy computes: `node --test` on vectors
written here from lstm_cell and lstm_forward_loop. Skipped, with the reason, where node is not installed. And the
widgets on a page, in Chromium, show the numbers of their chapters' test vectors (tools/site_offline.py drives them);
skipped where Playwright or Chromium is missing."""
import json, math, shutil, subprocess, sys
from pathlib import Path

import numpy as np
import pytest

from lstm_book.cell import lstm_cell, split_gates
from lstm_book.lstm import LSTMParams, lstm_forward_loop

ROOT = Path(__file__).resolve().parents[1]
# Both sides work in float64. Each pre-activation is a sum of units + input_dim + 1 products, so the two summation
# orders differ by at most (n + 1)·eps·Σ|w·v| (Higham), about 1e-14 here; exp and tanh are within an ulp on both
# sides, and the gates are contractions, so 20 steps keep the gap near 1e-13. 1e-12 leaves a margin of ten.
TOL = 1e-12
# Chapter 8's trained network reads 101 steps and its memory unit integrates along them: what one summation order
# rounds differently early on is carried and amplified to the end (measured here: 1.5e-10 on a probability). 1e-6
# keeps four orders of magnitude of margin and is still far below the 1e-4 that the page's four decimals need.
TRAINED_TOL = 1e-6


def _vectors():
    rng = np.random.default_rng(0)
    cells = []
    for batch_units, input_dim in [(1, 1), (3, 2), (5, 4)]:
        units = batch_units
        W = rng.normal(0, 0.7, (4 * units, units + input_dim))
        b = rng.normal(0, 0.5, 4 * units)
        x, h, c = rng.normal(size=input_dim), rng.uniform(-1, 1, units), rng.normal(size=units)
        h_t, c_t = lstm_cell(x, h, c, W, b)
        z = np.concatenate([h, x]) @ W.T + b
        gates = dict(zip("fiCo", np.split(z, 4)))
        sig = lambda a: 1 / (1 + np.exp(-a))
        cells.append(dict(x=x, h_prev=h, c_prev=c, W=W, b=b, h=h_t, c=c_t, f=sig(gates["f"]),
                          i=sig(gates["i"]), c_tilde=np.tanh(gates["C"]), o=sig(gates["o"])))
    p = LSTMParams.init(3, 6, seed=1, dtype=np.float64)
    x = rng.normal(size=(1, 20, 3))
    hs, (h_T, c_T) = lstm_forward_loop(x, p)
    dense_kernel, dense_bias = rng.normal(size=(6, 4)), rng.normal(size=4)
    logits = h_T[0] @ dense_kernel + dense_bias
    proba = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    sequence = dict(x=x[0], kernel=p.kernel, recurrent_kernel=p.recurrent_kernel, bias=p.bias, hs=hs[0],
                    c_T=c_T[0], dense_kernel=dense_kernel, dense_bias=dense_bias, proba=proba)
    as_lists = lambda d: {k: np.asarray(v).tolist() for k, v in d.items()}
    # and what the chapters' widgets load: chapter 3's weights and settings, chapter 8's trained network and sequences
    stored = {name: json.loads((ROOT / "nbs" / "js" / f"{name}.json").read_text())
              for name in ("cell_widget", "recall_weights")}
    return dict(tol=TOL, trained_tol=TRAINED_TOL, cells=[as_lists(c) for c in cells], sequence=as_lists(sequence), **stored)


def test_gates_in_vectors_are_lstm_cells():
    "The gate values written for the JavaScript are the ones lstm_cell uses (split_gates' order f, i, C, o)."
    case = _vectors()["cells"][1]
    p = split_gates(np.array(case["W"]), np.array(case["b"]))
    hx = np.concatenate([case["h_prev"], case["x"]])
    np.testing.assert_allclose(1 / (1 + np.exp(-(p["W_f"] @ hx + p["b_f"]))), case["f"], rtol=1e-15)


def test_javascript_forward_pass_equals_numpy(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the JavaScript of the interactive cells is not tested "
                    "(apt-get install nodejs, then make test)")
    path = tmp_path / "vectors.json"
    path.write_text(json.dumps(_vectors()))
    run = subprocess.run([node, "--test", str(ROOT / "tests" / "js")], capture_output=True, text=True,
                         env={"PATH": str(Path(node).parent), "LSTM_BOOK_JS_VECTORS": str(path)}, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "# fail 0" in run.stdout and "# skipped 0" in run.stdout, run.stdout


# --- the widgets on a page, in Chromium: tools/site_offline.py drives them through their test vectors ----------------

sys.path.insert(0, str(ROOT / "tools"))
import browser  # noqa: E402
import site_offline  # noqa: E402

# The two pages as the chapters write them (03_cell.ipynb and 08_inside_the_cell.ipynb): a module that fetches the
# JSON next to it and mounts the widget.
MOUNT = """<html><body><main><div id="live"></div><script type="module">
import {{ {mount} }} from "./js/{module}.js";
const spec = await (await fetch("./js/{data}.json")).json();
{mount}(document.getElementById("live"), spec);
</script></main></body></html>"""
PAGES = {"cell.html": dict(mount="mountCellWidget", module="cell_widget", data="cell_widget"),
         "inside_the_cell.html": dict(mount="mountRecallWidget", module="recall_widget", data="recall_weights")}


def test_a_widget_s_numbers_are_read_as_the_page_prints_them():
    assert site_offline.numbers("0.6215375377354344") == [0.6215375377354344]
    assert site_offline.numbers("[0.25, [1, 2e-5]]") == [0.25, 1.0, 2e-05]
    assert math.isnan(site_offline.numbers("NaN")[0]) and site_offline.numbers("[1, null]") is None
    assert site_offline.numbers(None) is None and site_offline.numbers("abc") is None
    assert site_offline.shown_number("\u22122.7542") == (-2.7542, pytest.approx(5e-5))
    assert site_offline.shown_number("99.9%") == (pytest.approx(0.999), pytest.approx(5e-4))
    assert site_offline.shown_number(" 12% ") == (0.12, 0.005)


def test_a_case_fails_beyond_the_bound_or_printed_wrong():
    outputs = {"h": [0.62153], "proba": [0.25, 0.75]}
    data = {"h": "0.62154", "proba": "[0.25, 0.75]"}
    dist, shown, msgs = site_offline.case_problems("p.html: widget 0 (cell) case 3", outputs, data,
                                                   {"h": ["0.6215"], "proba": ["25.0%", "75.0%"]})
    assert dist == {"h": pytest.approx(1e-5), "proba": 0.0} and msgs == []
    assert shown == {"h": pytest.approx(3e-5), "proba": 0.0}
    dist, _, msgs = site_offline.case_problems("w", outputs, {"h": "0.6217", "proba": "[0.25]"},
                                               {"h": ["0.6216"], "proba": ["25.0%", "74.9%"]})
    assert dist["proba"] == math.inf
    assert msgs == ["w: h is 0.00017 away from the test vectors (more than 0.0001): h[0] is 0.6217, "
                    "the test vectors give 0.62153",
                    "w: the page shows '0.6216' for h[0], which is 0.6217 (the test vectors give 0.62153)",
                    "w: data-proba holds 1 numbers, the test vectors 2"]
    _, _, msgs = site_offline.case_problems("w", outputs, data, {"h": ["0.6215"], "proba": ["25.0%", "74.9%"]})
    assert msgs == ["w: the page shows '74.9%' for proba[1], which is 0.75 (the test vectors give 0.75)"]
    _, _, msgs = site_offline.case_problems("w", {"h": [0.5]}, {"h": "0.5"}, {"h": ["0.5000", "0.5000"]})
    assert msgs == ["w: the page shows 2 numbers for h, the test vectors have 1"]
    _, _, msgs = site_offline.case_problems("w", {"h": [0.5]}, {}, {})
    assert msgs == ["w: no numbers in its data-h attribute (it holds None)"]
    _, _, msgs = site_offline.case_problems("w", {"h": [0.5]}, {"h": "NaN"}, {})
    assert msgs == ["w: h is inf away from the test vectors (more than 0.0001): h[0] is nan, the test vectors give 0.5"]


def test_an_input_that_does_not_hold_its_setting_is_named():
    inputs = {"#lstm-x": 0.8217701239287258, "#recall-input": "Bxw"}
    assert site_offline.input_problems("w", inputs, {"#lstm-x": "0.8217701239287258", "#recall-input": "Bxw"}) == []
    assert site_offline.input_problems("w", inputs, {"#lstm-x": "0.821770123928726", "#recall-input": "Bxw"}) == [], \
        "Chromium keeps 15 digits of a slider's value"
    assert site_offline.input_problems("w", {"#lstm-x": 0.0}, {"#lstm-x": "0"}) == []
    assert site_offline.input_problems("w", inputs, {"#lstm-x": "0.8217701239287", "#recall-input": "Bx"}) == [
        "w: #lstm-x holds 0.8217701239287 after it was set to 0.8217701239287258 (its step or range?)",
        "w: #recall-input holds 'Bx' after it was set to 'Bxw'"]
    assert site_offline.input_problems("w", inputs, {"#lstm-x": "0.82", "#recall-input": "Bxw"}) == [
        "w: #lstm-x holds 0.82 after it was set to 0.8217701239287258 (its step or range?)"]


def test_every_widget_kind_reads_its_chapter_s_cases():
    site = ROOT / "nbs"
    cell, recall = site_offline.widget_cases(site, "cell"), site_offline.widget_cases(site, "recall")
    assert len(cell) >= 10 and len(recall) == 4
    inputs, outputs = cell[0]
    assert sorted(inputs) == ["#lstm-b_C", "#lstm-b_f", "#lstm-b_i", "#lstm-b_o", "#lstm-c", "#lstm-h", "#lstm-x"]
    assert set(outputs) == {"h", "c"}
    inputs, outputs = recall[0]
    assert list(inputs) == ["#recall-input"] and len(outputs["proba"]) == 4 and len(outputs["c"]) == len(
        inputs["#recall-input"])


def _site(folder, tamper=None):
    "The two widget pages in `folder`, with the book's nbs/js; `tamper(name, text) -> text` changes a file of it."
    (folder / "js").mkdir(parents=True)
    for f in (ROOT / "nbs" / "js").iterdir():
        text = f.read_text()
        (folder / "js" / f.name).write_text(tamper(f.name, text) if tamper else text)
    for page, names in PAGES.items(): (folder / page).write_text(MOUNT.format(**names))
    return folder


def _wrong_cell_numbers(name, text):
    "Chapter 3's test vectors with one h_t off by 1e-3, the kind of gap a wrong weight or a float32 path would give."
    if name != "cell_widget.json": return text
    spec = json.loads(text)
    spec["cases"][5]["h_t"] += 1e-3
    return json.dumps(spec)


def _h_printed_as_c(name, text):
    "The cell widget prints C_t where h_t should be, while its data- attributes stay right."
    return text.replace('...shown("h", "hₜ", out.h[0])', '...shown("h", "hₜ", out.c[0])') \
        if name == "cell_widget.js" else text


def _snapping_sliders(name, text):
    "The cell widget's sliders back on a step of 0.01, which cannot hold the notebook's settings."
    return text.replace('step: "any"', "step: 0.01") if name == "cell_widget.js" else text


def _dead_recall(name, text):
    "The recall widget computes once and never again."
    return text.replace('input.addEventListener("input", update);', "") if name == "recall_widget.js" else text


# a changed copy of the site, in a folder of its own: the page that shows it, and what the check must say
BROKEN = {"wrong": (_wrong_cell_numbers, "cell.html",
                    ["widget 0 (cell) case 5: h is 0.001 away from the test vectors (more than 0.0001)"]),
          "misprinted": (_h_printed_as_c, "cell.html", ["widget 0 (cell) case 0: the page shows "]),
          "snapping": (_snapping_sliders, "cell.html", ["widget 0 (cell) case 0: #lstm-x holds ",
                                                        "(its step or range?)"]),
          # B, as the page opens: only the cell state tells
          "dead": (_dead_recall, "inside_the_cell.html", ["widget 0 (recall) case 0: proba is 1 away from the test",
                                                          "widget 0 (recall) case 1: c is "])}


def test_widgets_show_the_numbers_of_their_test_vectors_in_chromium(tmp_path):
    """The book's two widgets, driven through every case of their test vectors, are within 1e-4 of numpy; and a
    widget off its test vectors (a wrong number, a misprinted one, a slider that snaps, a dead widget) fails."""
    why = browser.unavailable()
    if why: pytest.skip(why)
    _site(tmp_path)
    for name, (tamper, _, _) in BROKEN.items(): _site(tmp_path / name, tamper)
    measured = []
    pages = list(PAGES) + [f"{name}/{page}" for name, (_, page, _) in BROKEN.items()]
    problems = site_offline.check(tmp_path, pages, timeout_ms=20_000, measured=measured, shots=tmp_path / "shots")
    assert not any(problems[c] for c in ("request to another host", "JavaScript error", "formula not rendered"))
    assert problems["widget does not respond"] == [
        "dead/inside_the_cell.html: widget 0 did not respond to a change of #recall-input (text): data- "
        "attributes stayed " + problems["widget does not respond"][0].split("stayed ", 1)[1]]
    off = problems["widget off its test vectors"]
    assert not [m for m in off if not m.startswith(tuple(BROKEN))], "the book's widgets pass"
    for name, (_, page, found) in BROKEN.items():
        said = "\n".join(m for m in off if m.startswith(f"{name}/{page}: "))
        for text in found: assert text in said, (name, said)
    good = [m for m in measured if "/" not in m["page"]]
    assert [(m["page"], m["kind"]) for m in good] == [("cell.html", "cell"), ("inside_the_cell.html", "recall")]
    for m in good:
        assert m["cases"] == len(site_offline.widget_cases(ROOT / "nbs", m["kind"]))
        assert max(m["distance"].values()) <= TRAINED_TOL, site_offline.measured_line(m)
        assert max(m["shown"].values()) <= (5e-5 if m["kind"] == "cell" else 5e-4) + TRAINED_TOL
    shots = sorted(p.name for p in (tmp_path / "shots").iterdir())
    assert {"cell-widget0-after.png", "cell-widget0-before.png", "inside_the_cell-widget0-after.png",
            "inside_the_cell-widget0-before.png", "dead-inside_the_cell-widget0-after.png"} <= set(shots)
