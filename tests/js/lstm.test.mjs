// node --test: the JavaScript forward pass against vectors numpy wrote (tests/test_js.py writes them and runs this).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { lstmCell, fromKeras, lstmSequence, softmaxDense } from "../../nbs/js/lstm.js";

const path = process.env.LSTM_BOOK_JS_VECTORS;
const vectors = path ? JSON.parse(readFileSync(path, "utf8")) : null;
const skip = vectors ? false : "LSTM_BOOK_JS_VECTORS is not set: run tests/test_js.py, which writes the vectors";

function assertClose(actual, expected, tol, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, k) => {
    if (Array.isArray(a)) return assertClose(a, expected[k], tol, `${what}[${k}]`);
    assert.ok(Math.abs(a - expected[k]) <= tol, `${what}[${k}]: ${a} against numpy's ${expected[k]}`);
  });
}

test("one step equals lstm_cell", { skip }, () => {
  for (const [n, v] of vectors.cells.entries()) {
    const out = lstmCell(v.x, v.h_prev, v.c_prev, v.W, v.b);
    assertClose(out.h, v.h, vectors.tol, `case ${n} h`);
    assertClose(out.c, v.c, vectors.tol, `case ${n} c`);
    for (const g of ["f", "i", "o"]) assertClose(out[g], v[g], vectors.tol, `case ${n} ${g}`);
    assertClose(out.cTilde, v.c_tilde, vectors.tol, `case ${n} c_tilde`);
  }
});

test("a sequence in Keras' layout equals lstm_forward_loop, and the read-out its softmax", { skip }, () => {
  const s = vectors.sequence;
  const { W, b } = fromKeras(s.kernel, s.recurrent_kernel, s.bias);
  const steps = lstmSequence(s.x, W, b);
  assertClose(steps.map((st) => st.h), s.hs, vectors.tol, "hs");
  assertClose(steps.at(-1).c, s.c_T, vectors.tol, "c_T");
  assertClose(softmaxDense(steps.at(-1).h, s.dense_kernel, s.dense_bias), s.proba, vectors.tol, "proba");
});

test("chapter 3's widget: each stored setting gives lstm_cell's h_t and C_t", { skip }, () => {
  const w = vectors.cell_widget;
  assert.ok(w.cases.length >= 10, "the notebook writes its settings");
  for (const [n, s] of w.cases.entries()) {
    const out = lstmCell([s.x], [s.h], [s.c], w.W, s.b);
    assertClose([out.h[0], out.c[0]], [s.h_t, s.c_t], vectors.tol, `setting ${n}`);
  }
});

test("chapter 8's trained network: the answers and memory cell numpy gave on held-out sequences", { skip }, async () => {
  const { encode } = await import("../../nbs/js/recall_widget.js");
  const w = vectors.recall_weights;
  const { W, b } = fromKeras(w.kernel, w.recurrent_kernel, w.bias);
  assert.equal(w.cases.length, 4, "one sequence per symbol");
  for (const s of w.cases) {
    const steps = lstmSequence(encode(s.text).xs, W, b);
    assertClose(softmaxDense(steps.at(-1).h, w.dense_kernel, w.dense_bias), s.proba, vectors.trained_tol, `${s.text[0]} proba`);
    assertClose(steps.map((st) => st.c[w.unit]), s.c, vectors.trained_tol, `${s.text[0]} memory cell`);
  }
});

test("a wrong W is refused with the sizes", () => {
  assert.throws(() => lstmCell([1], [0, 0], [0, 0], [[1, 1, 1]], [0]), /4·units = 8 rows; got 1 and 1/);
});

test("a typed sequence is one-hot encoded as recall_task encodes it, or refused with the reason", async () => {
  const { encode } = await import("../../nbs/js/recall_widget.js");
  const { xs } = encode("B wx z");
  assert.deepEqual(xs.map((x) => x.indexOf(1)), [1, 4, 5, 7]);
  assert.ok(xs.every((x) => x.length === 8 && x.reduce((s, v) => s + v, 0) === 1));
  assert.match(encode("w").error, /symbol A–D followed by at least one distractor/);
  assert.match(encode("Ewx").error, /first letter must be A, B, C or D; got E/);
  assert.match(encode("Awxq").error, /only the distractors w, x, y, z; got q/);
});
