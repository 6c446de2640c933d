// "A trained network, live": the recall network of chapters 7 and 8 reads a sequence the reader types (a symbol
// A–D, then distractors w–z); the memory unit's gates and cell state are drawn step by step, and the network's
// answer is shown as four probabilities. The weights are the ones chapter 8 trained, read from a JSON file it
// wrote; lstm.js does the arithmetic. No library: plain DOM and SVG.
import { fromKeras, lstmSequence, softmaxDense } from "./lstm.js";

const SVG = "http://www.w3.org/2000/svg";
const SYMBOLS = "ABCD";
const DISTRACTORS = "wxyz";

function el(tag, attrs = {}, parent = null, ns = null) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

// The one-hot steps of a typed sequence; null with the reason if it is not one.
export function encode(text) {
  const tokens = [...text.replace(/\s+/g, "")];
  if (tokens.length < 2) return { error: "type a symbol A–D followed by at least one distractor w–z" };
  if (!SYMBOLS.includes(tokens[0].toUpperCase())) return { error: `the first letter must be A, B, C or D; got ${tokens[0]}` };
  const bad = tokens.slice(1).find((t) => !DISTRACTORS.includes(t.toLowerCase()));
  if (bad !== undefined) return { error: `after the symbol, only the distractors w, x, y, z; got ${bad}` };
  const index = [SYMBOLS.indexOf(tokens[0].toUpperCase()), ...tokens.slice(1).map((t) => 4 + DISTRACTORS.indexOf(t.toLowerCase()))];
  return { xs: index.map((k) => Array.from({ length: 8 }, (_, j) => (j === k ? 1 : 0))) };
}

// A deterministic string of distractors (a small linear congruential generator), so the page always opens the same.
function distractors(n, seed) {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => DISTRACTORS[((s = (1103515245 * s + 12345) >>> 0) >>> 16) % 4]).join("");
}

// weights: {kernel, recurrent_kernel, bias, dense_kernel, dense_bias, unit, lag} as chapter 8 writes them.
export function mountRecallWidget(root, weights) {
  const { W, b } = fromKeras(weights.kernel, weights.recurrent_kernel, weights.bias);
  const u = weights.unit;
  root.classList.add("lstm-widget");
  // which test vectors a check in the browser holds this widget to (tools/site_offline.py)
  root.dataset.widget = "recall";
  root.style.cssText = "max-width: 40rem; font-size: 0.9rem";
  const label = el("label", { for: "recall-input" }, root);
  label.textContent = "The sequence (a symbol A–D, then distractors w–z):";
  const input = el("textarea", { id: "recall-input", rows: 3, spellcheck: "false" }, root);
  input.style.cssText = "width: 100%; font-family: monospace; font-size: 0.85rem; box-sizing: border-box";
  input.value = "B" + distractors(weights.lag, 7);
  const buttons = el("div", {}, root);
  for (const s of SYMBOLS) {
    const button = el("button", { type: "button" }, buttons);
    button.textContent = `start with ${s}`;
    button.addEventListener("click", () => { input.value = s + input.value.slice(1); update(); });
  }
  const message = el("p", { role: "status" }, root);
  const svg = el("svg", { viewBox: "0 0 520 190", role: "img", "aria-label": "the memory unit over time" }, root, SVG);

  function update() {
    const parsed = encode(input.value);
    svg.replaceChildren();
    if (parsed.error) {
      message.textContent = parsed.error;
      delete root.dataset.proba;
      delete root.dataset.c;
      return;
    }
    const steps = lstmSequence(parsed.xs, W, b);
    const proba = softmaxDense(steps.at(-1).h, weights.dense_kernel, weights.dense_bias);
    const best = proba.indexOf(Math.max(...proba));
    // each probability shown in a span that names it (data-shows), so a check reads what the reader sees
    const shown = proba.flatMap((p, k) => {
      const span = el("span", { "data-shows": "proba" });
      span.textContent = `${(100 * p).toFixed(1)}%`;
      return [k ? ", " : "", `${SYMBOLS[k]} `, span];
    });
    message.replaceChildren(`${steps.length} steps. The network answers ${SYMBOLS[best]} (`, ...shown, ").");
    // and at full precision: the answer, and the memory unit's cell state at every step
    root.dataset.proba = JSON.stringify(proba);
    root.dataset.c = JSON.stringify(steps.map((st) => st.c[u]));
    draw(steps, proba);
  }

  function draw(steps, proba) {
    const left = 70, width = 330, T = steps.length, dx = width / T;
    const text = (x, y, s, anchor = "start", size = 11) =>
      (el("text", { x, y, "font-size": size, "text-anchor": anchor }, svg, SVG).textContent = s);
    // gates as strips of shaded cells, 0 white to 1 dark
    [["forget f", "f", "#e8590c"], ["input i", "i", "#2f9e44"], ["output o", "o", "#862e9c"]].forEach(([name, g, colour], r) => {
      const y = 10 + 22 * r;
      text(left - 6, y + 13, name, "end");
      steps.forEach((st, t) => el("rect", { x: left + t * dx, y, width: dx + 0.3, height: 18, fill: colour,
                                            "fill-opacity": st[g][u] }, svg, SVG));
    });
    // the cell state as a line over time
    const cs = steps.map((st) => st.c[u]);
    const top = Math.max(1, ...cs.map(Math.abs));
    const y0 = 130, scale = 40 / top;
    text(left - 6, y0 + 4, `cell C (unit ${u})`, "end");
    el("line", { x1: left, y1: y0, x2: left + width, y2: y0, stroke: "#aaa" }, svg, SVG);
    el("polyline", { points: cs.map((c, t) => `${left + (t + 0.5) * dx},${y0 - c * scale}`).join(" "),
                     fill: "none", stroke: "#1971c2", "stroke-width": 1.5 }, svg, SVG);
    text(left, 185, "step 1", "start", 10);
    text(left + width, 185, `step ${T}`, "end", 10);
    // the answer
    proba.forEach((p, k) => {
      const y = 12 + 28 * k;
      text(420, y + 12, SYMBOLS[k], "start", 12);
      el("rect", { x: 436, y, width: 48 * p, height: 16, fill: "#495057" }, svg, SVG);
      text(436 + 48 * p + 4, y + 12, `${(100 * p).toFixed(0)}%`, "start", 10);
    });
    text(466, 130, "answer", "middle", 11);
    text(left, 84, "shade: 0 (white) to 1 (full colour)", "start", 10);
  }

  input.addEventListener("input", update);
  update();
  return root;
}
