"""The interactive cells' JavaScript (nbs/js/lstm.js) computes what numpy computes: `node --test` on vectors
written here from lstm_cell and lstm_forward_loop. Skipped, with the reason, where node is not installed."""
import json, shutil, subprocess
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
