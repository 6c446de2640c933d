// The LSTM's forward pass in plain JavaScript, for the book's interactive cells.
// It computes what lstm_book.cell.lstm_cell and lstm_book.lstm.lstm_forward_loop compute, in float64;
// tests/js/lstm.test.mjs checks it against vectors written by numpy.

export const sigmoid = (z) => 1 / (1 + Math.exp(-z));

// W · v + b for W given as an array of rows.
export function affine(W, v, b) {
  return W.map((row, r) => row.reduce((s, w, k) => s + w * v[k], b[r]));
}

// One step in the book's notation (chapter 3): W is (4·units) × (units + input_dim), rows in the order
// f, i, C, o, applied to [h_prev, x_t]. Returns every intermediate, so a figure can draw the gates.
export function lstmCell(x, hPrev, cPrev, W, b) {
  const units = hPrev.length;
  if (W.length !== 4 * units || b.length !== 4 * units) {
    throw new Error(`W and b must have 4·units = ${4 * units} rows; got ${W.length} and ${b.length}`);
  }
  const z = affine(W, [...hPrev, ...x], b);
  const block = (g) => z.slice(g * units, (g + 1) * units);
  const f = block(0).map(sigmoid);
  const i = block(1).map(sigmoid);
  const cTilde = block(2).map(Math.tanh);
  const o = block(3).map(sigmoid);
  const c = cPrev.map((cp, u) => f[u] * cp + i[u] * cTilde[u]);
  const h = c.map((cu, u) => o[u] * Math.tanh(cu));
  return { f, i, cTilde, o, c, h };
}

// Keras' layout (chapter 4): kernel (input_dim × 4·units) and recurrent_kernel (units × 4·units) with
// columns in the order i, f, c, o, bias (4·units). Returns the Olah-order W and b that lstmCell takes.
export function fromKeras(kernel, recurrentKernel, bias) {
  const units = recurrentKernel.length;
  const kerasBlock = { f: 1, i: 0, C: 2, o: 3 };
  const W = [];
  const b = [];
  for (const g of ["f", "i", "C", "o"]) {
    for (let u = 0; u < units; u++) {
      const col = kerasBlock[g] * units + u;
      W.push([...recurrentKernel.map((row) => row[col]), ...kernel.map((row) => row[col])]);
      b.push(bias[col]);
    }
  }
  return { W, b };
}

// A whole sequence xs (time × input_dim) from the zero state: the steps' gates and states, in order.
export function lstmSequence(xs, W, b, h0 = null, c0 = null) {
  const units = W.length / 4;
  let h = h0 ?? new Array(units).fill(0);
  let c = c0 ?? new Array(units).fill(0);
  const steps = [];
  for (const x of xs) {
    const step = lstmCell(x, h, c, W, b);
    steps.push(step);
    ({ h, c } = step);
  }
  return steps;
}

// A dense layer with softmax: class probabilities from the last output (chapter 7's classifier).
export function softmaxDense(h, kernel, bias) {
  const logits = bias.map((bj, j) => h.reduce((s, hk, k) => s + hk * kernel[k][j], bj));
  const top = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - top));
  const total = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / total);
}
