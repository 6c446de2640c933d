// "The cell, live": sliders for one unit's input, previous output, previous cell state and the four gate biases;
// the gates, C_t and h_t are recomputed by lstm.js as the reader drags, and drawn in the book's diagram grammar
// (learned layers as boxes, pointwise operations as circles). No library: plain DOM and SVG.
import { lstmCell } from "./lstm.js";

const SVG = "http://www.w3.org/2000/svg";
const COLOURS = { f: "#ffc078", i: "#8ce99a", C: "#74c0fc", o: "#da77f2" };

function el(tag, attrs = {}, parent = null, ns = null) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

const fmt = (v) => (v < 0 ? "−" : "") + Math.abs(v).toFixed(4);

// spec: {W: 4 rows of [w_h, w_x] in the order f, i, C, o; b: 4 biases; x, h, c: the starting inputs}.
export function mountCellWidget(root, spec) {
  const state = { x: spec.x, h: spec.h, c: spec.c, b: [...spec.b] };
  root.classList.add("lstm-widget");
  // which test vectors a check in the browser holds this widget to (tools/site_offline.py)
  root.dataset.widget = "cell";
  // laid out here, so the widget needs no stylesheet of the site's
  root.style.cssText = "max-width: 40rem; font-size: 0.9rem";
  const controls = el("div", { class: "lstm-widget-controls" }, root);
  controls.style.cssText = "display: grid; grid-template-columns: max-content 1fr 4.5em; gap: 0.2em 0.8em; " +
    "align-items: center";
  const sliders = [
    ["x", "input xₜ", -3, 3, () => state.x, (v) => (state.x = v)],
    ["h", "previous output hₜ₋₁", -1, 1, () => state.h, (v) => (state.h = v)],
    ["c", "previous cell state Cₜ₋₁", -3, 3, () => state.c, (v) => (state.c = v)],
    ...["f", "i", "C", "o"].map((g, k) => [`b_${g}`, `bias b_${g === "C" ? "C̃" : g}`, -5, 5, () => state.b[k], (v) => (state.b[k] = v)]),
  ];
  for (const [name, label, lo, hi, get, set] of sliders) {
    el("label", { for: `lstm-${name}` }, controls).textContent = label;
    // step "any": a slider holds any setting in its range (Chromium keeps 15 significant digits), the notebook's
    // test settings included; arrow keys then move it by a hundredth of the range
    const input = el("input", { type: "range", min: lo, max: hi, step: "any", value: get(), name,
                                id: `lstm-${name}` }, controls);
    const shown = el("output", { for: `lstm-${name}` }, controls);
    shown.textContent = fmt(get());
    input.addEventListener("input", () => {
      set(Number(input.value));
      shown.textContent = fmt(get());
      draw();
    });
  }
  const svg = el("svg", { viewBox: "0 0 520 245", role: "img", "aria-label": "the cell's gates and states" }, root, SVG);
  const readout = el("pre", { class: "lstm-widget-readout" }, root);

  // shade: how open a gate is, in [0, 1] (the candidate's (−1, 1) mapped onto it)
  function box(x, y, text, value, shade, colour) {
    el("rect", { x, y, width: 64, height: 34, rx: 4, fill: colour, "fill-opacity": 0.25 + 0.75 * shade,
                 stroke: "#333" }, svg, SVG);
    el("text", { x: x + 32, y: y + 14, "text-anchor": "middle", "font-size": 13 }, svg, SVG).textContent = text;
    el("text", { x: x + 32, y: y + 29, "text-anchor": "middle", "font-size": 12 }, svg, SVG).textContent = fmt(value);
  }
  function op(x, y, symbol) {
    el("circle", { cx: x, cy: y, r: 13, fill: "#fff", stroke: "#333" }, svg, SVG);
    const size = symbol.length > 1 ? 10 : 15;
    el("text", { x, y: y + size / 3, "text-anchor": "middle", "font-size": size }, svg, SVG).textContent = symbol;
  }
  function line(x1, y1, x2, y2) {
    el("line", { x1, y1, x2, y2, stroke: "#333", "stroke-width": 1.5 }, svg, SVG);
  }

  function draw() {
    // one unit, one input: each row of spec.W is [w_h, w_x], lstmCell's [h_{t−1}, x_t] order
    const out = lstmCell([state.x], [state.h], [state.c], spec.W, state.b);
    svg.replaceChildren();
    const text = (x, y, s, anchor = "start") =>
      (el("text", { x, y, "font-size": 12, "text-anchor": anchor }, svg, SVG).textContent = s);
    line(20, 40, 510, 40); // the cell state's belt
    line(20, 205, 400, 205); // [h_{t−1}, x_t], read by every layer
    for (const cx of [110, 200, 290, 380]) line(cx, 205, cx, 184);
    line(110, 150, 110, 53); // f onto the belt
    line(200, 150, 200, 110); line(200, 110, 237, 110); // i and C̃ into their product
    line(290, 150, 290, 110); line(290, 110, 263, 110); line(250, 97, 250, 53);
    line(420, 40, 420, 62); line(420, 88, 420, 107); // tanh of the new state
    line(380, 150, 380, 120); line(380, 120, 407, 120); line(433, 120, 510, 120); // o shows it: h_t
    op(110, 40, "×"); op(250, 40, "+"); op(250, 110, "×"); op(420, 75, "tanh"); op(420, 120, "×");
    box(78, 150, "σ  f", out.f[0], out.f[0], COLOURS.f);
    box(168, 150, "σ  i", out.i[0], out.i[0], COLOURS.i);
    box(258, 150, "tanh  C̃", out.cTilde[0], (out.cTilde[0] + 1) / 2, COLOURS.C);
    box(348, 150, "σ  o", out.o[0], out.o[0], COLOURS.o);
    text(20, 30, `Cₜ₋₁ = ${fmt(state.c)}`);
    text(510, 30, `Cₜ = ${fmt(out.c[0])}`, "end");
    text(510, 112, `hₜ = ${fmt(out.h[0])}`, "end");
    text(20, 222, `[hₜ₋₁, xₜ] = [${fmt(state.h)}, ${fmt(state.x)}]`);
    text(510, 222, "boxes: learned layers, shaded by value", "end");
    text(510, 238, "circles: pointwise operations", "end");
    // each number shown in a span that names it (data-shows), so a check reads what the reader sees
    const shown = (name, label, v) => {
      const span = el("span", { "data-shows": name });
      span.textContent = fmt(v);
      return [`${label} = `, span];
    };
    readout.replaceChildren(...shown("f", "f", out.f[0]), "   ", ...shown("i", "i", out.i[0]), "   ",
      ...shown("cTilde", "C̃", out.cTilde[0]), "   ", ...shown("o", "o", out.o[0]), "\n",
      ...shown("c", "Cₜ", out.c[0]), "   ", ...shown("h", "hₜ", out.h[0]));
    // and at full precision (String(number) reads back as the same float64)
    Object.assign(root.dataset, { f: out.f[0], i: out.i[0], cTilde: out.cTilde[0], o: out.o[0],
                                  c: out.c[0], h: out.h[0] });
  }
  draw();
  return root;
}
