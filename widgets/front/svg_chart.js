// Draws a chart spec (from Python) as SVG: horizontal or vertical bars, or a radar.
// Words arrive as data and are set as text. The SVG scales to its container's width.
const NS = "http://www.w3.org/2000/svg";
const COLOURS = ["#1f5f99", "#5c5c5c", "#b34700"];
const W = 640;

function svg(tag, attrs, parent, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}

function patterns(root) {
  const defs = svg("defs", {}, root);
  const p = svg("pattern", { id: "ik-hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse",
                             patternTransform: "rotate(45)" }, defs);
  svg("rect", { width: 6, height: 6, fill: COLOURS[1] }, p);
  svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#ffffff", "stroke-width": 2 }, p);
}

function fill(series, i) {
  return series.pattern === "hatch" ? "url(#ik-hatch)" : COLOURS[i % COLOURS.length];
}

function legend(root, spec, y) {
  let x = 10;
  spec.series.forEach((s, i) => {
    if (spec.series.length < 2) return;
    svg("rect", { x, y: y - 10, width: 12, height: 12, fill: fill(s, i) }, root);
    svg("text", { x: x + 16, y, class: "ik-small" }, root, s.name);
    x += 24 + 7 * s.name.length;
  });
}

function hbar(root, spec) {
  const n = spec.categories.length, k = spec.series.length;
  const left = 190, right = 20, top = 40, rowH = 30, plotW = W - left - right;
  const scale = (v) => left + ((v - spec.min) / (spec.max - spec.min)) * plotW;
  const h = top + n * rowH;
  for (const t of spec.ticks || []) {
    svg("line", { x1: scale(t.value), x2: scale(t.value), y1: top, y2: h, class: "ik-grid" }, root);
    svg("text", { x: scale(t.value), y: h + 16, "text-anchor": "middle", class: "ik-small" }, root, t.label);
  }
  spec.categories.forEach((c, i) => {
    const y0 = top + i * rowH;
    svg("text", { x: left - 8, y: y0 + rowH / 2 + 4, "text-anchor": "end", class: "ik-label" }, root, c);
    spec.series.forEach((s, j) => {
      const bh = (rowH - 8) / k, v = s.values[i];
      if (v === null || v === undefined) return;
      svg("rect", { x: scale(Math.min(spec.min, v)), y: y0 + 4 + j * bh, height: bh - 1,
                    width: Math.max(1, scale(v) - scale(spec.min)), fill: fill(s, j) }, root);
    });
  });
  let y = h + 34;
  if (spec.x_label) { svg("text", { x: left + plotW / 2, y, "text-anchor": "middle", class: "ik-small" }, root, spec.x_label); y += 18; }
  return y;
}

function vbar(root, spec) {
  const n = spec.categories.length, left = 56, top = 40, plotH = 200, bottom = top + plotH;
  const plotW = W - left - 20, colW = plotW / n;
  const scale = (v) => bottom - ((v - spec.min) / (spec.max - spec.min)) * plotH;
  for (const t of spec.ticks || []) {
    svg("line", { x1: left, x2: left + plotW, y1: scale(t.value), y2: scale(t.value), class: "ik-grid" }, root);
    svg("text", { x: left - 6, y: scale(t.value) + 4, "text-anchor": "end", class: "ik-small" }, root, t.label);
  }
  spec.categories.forEach((c, i) => {
    const x0 = left + i * colW;
    spec.series.forEach((s, j) => {
      const v = s.values[i];
      svg("rect", { x: x0 + 6, width: colW - 12, y: scale(v), height: Math.max(0, bottom - scale(v)),
                    fill: fill(s, i === 0 && s.first_grey ? 1 : j) }, root);
    });
    svg("text", { x: x0 + colW / 2, y: bottom + 16, "text-anchor": "middle", class: "ik-small" }, root, c);
  });
  if (spec.y_label) svg("text", { x: 14, y: top + plotH / 2, transform: `rotate(-90 14 ${top + plotH / 2})`,
                                  "text-anchor": "middle", class: "ik-small" }, root, spec.y_label);
  let y = bottom + 36;
  if (spec.x_label) { svg("text", { x: left + plotW / 2, y, "text-anchor": "middle", class: "ik-small" }, root, spec.x_label); y += 18; }
  return y;
}

function radar(root, spec) {
  const n = spec.categories.length, cx = W / 2, cy = 210, r = 140;
  const at = (i, v) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n, f = (v - spec.min) / (spec.max - spec.min);
    return [cx + Math.cos(a) * r * f, cy + Math.sin(a) * r * f];
  };
  for (const t of spec.ticks || []) {
    const pts = spec.categories.map((_, i) => at(i, t.value).join(",")).join(" ");
    svg("polygon", { points: pts, class: "ik-grid", fill: "none" }, root);
    const [tx, ty] = at(0, t.value);
    svg("text", { x: tx + 4, y: ty + 4, class: "ik-small" }, root, t.label);
  }
  spec.categories.forEach((c, i) => {
    const [x, y] = at(i, spec.max);
    svg("line", { x1: cx, y1: cy, x2: x, y2: y, class: "ik-grid" }, root);
    const [lx, ly] = at(i, spec.max + (spec.max - spec.min) * 0.16);
    svg("text", { x: lx, y: ly + 4, "text-anchor": Math.abs(lx - cx) < 10 ? "middle" : (lx < cx ? "end" : "start"),
                  class: "ik-label" }, root, c);
  });
  spec.series.forEach((s, j) => {
    const pts = s.values.map((v, i) => at(i, v).join(",")).join(" ");
    svg("polygon", { points: pts, fill: COLOURS[j % COLOURS.length], "fill-opacity": 0.2,
                     stroke: COLOURS[j % COLOURS.length], "stroke-width": 2 }, root);
  });
  return cy + r + 50;
}

function render({ model, el }) {
  const draw = () => {
    const spec = model.get("spec") || {};
    el.replaceChildren();
    if (!spec.kind) return;
    const root = svg("svg", { viewBox: `0 0 ${W} 400`, role: "img", class: "ik-chart",
                              "aria-label": model.get("alt") || spec.title || "" }, el);
    patterns(root);
    svg("text", { x: W / 2, y: 20, "text-anchor": "middle", class: "ik-title" }, root, spec.title || "");
    let y = spec.kind === "radar" ? radar(root, spec) : spec.kind === "vbar" ? vbar(root, spec) : hbar(root, spec);
    if ((spec.series || []).length > 1) { legend(root, spec, y); y += 22; }
    if (spec.note) { svg("text", { x: 10, y, class: "ik-note" }, root, spec.note); y += 8; }
    root.setAttribute("viewBox", `0 0 ${W} ${y + 6}`);
  };
  draw();
  model.on("change:spec", draw);
}

export default { render };
