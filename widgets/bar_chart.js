// Innokraft's bar chart, drawn in the browser: bars, paired bars or diverging bars (with
// markers), a legend outside the plot, the source on the chart, every value as visible text.
// Optional range inputs above it redraw the chart at once, with no trip to the kernel;
// their values then sync to the kernel (which saves them).
//
// Text is HTML laid over SVG bars sized in percent: it never scales below its CSS size
// (>= 12 px) on a 320 px phone, wraps when long, and screen readers read it as text.

const NS = "http://www.w3.org/2000/svg";
let uid = 0;

function h(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c) el.appendChild(c);
  return el;
}

function s(tag, attrs = {}) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

// Fill patterns so series differ by more than colour (colour-blind readers, greyscale print).
function defs(svg, id, series) {
  const d = s("defs");
  series.forEach((se, i) => {
    if (!se.pattern || se.pattern === "solid") return;
    const p = s("pattern", { id: `${id}-p${i}`, width: 6, height: 6, patternUnits: "userSpaceOnUse",
                             patternTransform: se.pattern === "hatch" ? "rotate(45)" : "" });
    p.appendChild(s("rect", { width: 6, height: 6, fill: se.color }));
    if (se.pattern === "hatch") p.appendChild(s("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#fff", "stroke-width": 2 }));
    else p.appendChild(s("circle", { cx: 3, cy: 3, r: 1.3, fill: "#fff" }));
    d.appendChild(p);
  });
  svg.appendChild(d);
}

function fill(id, se, i) {
  return se.pattern && se.pattern !== "solid" ? `url(#${id}-p${i})` : se.color;
}

function swatch(id, se, i) {
  const svg = s("svg", { width: 16, height: 16, "aria-hidden": "true", focusable: "false" });
  if (se.kind === "marker") svg.appendChild(s("path", { d: "M8 2 L14 8 L8 14 L2 8 Z", fill: se.color, stroke: "#fff" }));
  else svg.appendChild(s("rect", { x: 1, y: 3, width: 14, height: 10, fill: fill(id, se, i), stroke: se.color }));
  return svg;
}

function fmt(spec, v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const sign = spec.kind === "diverging" && v > 0 ? "+" : "";
  return `${sign}${Math.round(v * 10) / 10}${spec.unit ? (spec.unit === "%" ? " %" : ` ${spec.unit}`) : ""}`;
}

function values(model, spec) {
  // Series marked from_inputs take their values from the inputs, by category id.
  const inputs = model.get("values") || {};
  return spec.series.map((se) => se.from_inputs
    ? spec.categories.map((c) => (c.id in inputs ? Number(inputs[c.id]) : null))
    : se.values);
}

function order(spec, vals) {
  const idx = spec.categories.map((_, i) => i);
  if (spec.sort !== "value") return idx;
  const key = vals[0];
  return idx.sort((a, b) => (key[a] ?? 0) - (key[b] ?? 0) || a - b);
}

function drawFigure(model, fig, id) {
  const spec = model.get("spec");
  const vals = values(model, spec);
  const [lo, hi] = spec.domain || [0, 100];
  const pct = (v) => ((v - lo) / (hi - lo)) * 100;
  const zero = pct(Math.min(Math.max(0, lo), hi));
  fig.replaceChildren();
  fig.appendChild(h("figcaption", { class: "ik-chart-title", text: spec.title }));
  // The fill patterns, once per chart (bars and legend refer to them by id).
  const patterns = s("svg", { width: 0, height: 0, class: "ik-chart-defs", "aria-hidden": "true", focusable: "false" });
  defs(patterns, id, spec.series);
  fig.appendChild(patterns);
  // The legend sits outside the plot, above it, as real text.
  // One series needs no key: the title names it.
  const legendItems = spec.series.length < 2 ? [] : spec.series.map((se, i) => h("li", {}, [swatch(id, se, i), h("span", { text: se.name })]));
  for (const m of spec.legend_extra || []) legendItems.push(h("li", {}, [h("span", { class: "ik-chart-symbol", "aria-hidden": "true", text: m.symbol }), h("span", { text: m.label })]));
  if (legendItems.length) fig.appendChild(h("ul", { class: "ik-chart-legend" }, legendItems));
  if (spec.axis_label) fig.appendChild(h("p", { class: "ik-chart-axis", text: spec.axis_label }));
  const rows = h("ol", { class: "ik-chart-rows" });
  const bars = spec.series.filter((se) => se.kind !== "marker").length || 1;
  for (const ci of order(spec, vals)) {
    const c = spec.categories[ci];
    const row = h("li", { class: "ik-chart-row", "data-category": c.id });
    row.appendChild(h("div", { class: "ik-chart-label" }, [
      h("span", { text: c.label }),
      c.symbol ? h("span", { class: "ik-chart-symbol", text: ` ${c.symbol}` }) : null,
    ]));
    const plot = h("div", { class: "ik-chart-plot", style: `--rows:${bars}` });
    const svg = s("svg", { width: "100%", height: bars * 22, "aria-hidden": "true", focusable: "false" });
    if (lo < 0) svg.appendChild(s("line", { x1: `${zero}%`, x2: `${zero}%`, y1: 0, y2: bars * 22, stroke: "#1a1a1a", "stroke-width": 1 }));
    const texts = [];
    const marked = [];
    let slot = 0;
    spec.series.forEach((se, si) => {
      const v = vals[si][ci];
      if (se.kind === "marker") {
        if (v === null || v === undefined) return;
        texts.push(h("span", { class: "ik-chart-marker", "aria-hidden": "true", style: `left:calc(${pct(v)}% - 8px);color:${se.color}`, text: "◆" }));
        marked.push(`${se.name}: ${fmt(spec, v)}`);
        return;
      }
      const y = slot * 22 + 2;
      slot += 1;
      if (v === null || v === undefined) return;
      const p = pct(v);
      const x = Math.min(p, zero), w = Math.abs(p - zero);
      svg.appendChild(s("rect", { x: `${x}%`, y, width: `${Math.max(w, 0.4)}%`, height: 18, fill: fill(id, se, si), stroke: se.color }));
      // The value as text, beside the bar's end (inside it when the bar is long).
      const inside = v >= 0 ? p > 78 : p < 22;
      const pos = v >= 0 ? (inside ? `right:calc(${100 - p}% + 4px)` : `left:calc(${p}% + 4px)`)
                         : (inside ? `left:calc(${p}% + 4px)` : `right:calc(${100 - p}% + 4px)`);
      texts.push(h("span", { class: `ik-chart-value${inside ? " ik-inside" : ""}`, style: `${pos};top:${y}px`,
                             text: `${se.labels && se.labels[ci] ? se.labels[ci] : fmt(spec, v)}${se.notes && se.notes[ci] ? ` (${se.notes[ci]})` : ""}` }));
    });
    plot.appendChild(svg);
    for (const t of texts) plot.appendChild(t);
    row.appendChild(plot);
    if (marked.length) row.appendChild(h("p", { class: "ik-chart-marked", text: marked.join(" · ") }));
    rows.appendChild(row);
  }
  fig.appendChild(rows);
  if (spec.source) fig.appendChild(h("p", { class: "ik-chart-source", text: spec.source }));
  if (spec.alt) fig.appendChild(h("p", { class: "ik-sr", text: spec.alt }));
}

function drawInputs(model, box, fig, id) {
  const inputs = model.get("inputs") || [];
  box.replaceChildren();
  box.hidden = inputs.length === 0;
  const current = () => ({ ...(model.get("values") || {}) });
  inputs.forEach((inp, i) => {
    const iid = `${id}-in${i}`;
    const value = current()[inp.id] ?? inp.value ?? inp.min;
    const input = h("input", { type: "range", id: iid, min: inp.min, max: inp.max, step: inp.step || 1,
                               value, "data-input": inp.id, disabled: model.get("disabled") || null });
    const out = h("output", { for: iid, class: "ik-chart-readout", text: fmt({ ...model.get("spec"), kind: inp.signed ? "diverging" : "" }, Number(value)) });
    input.addEventListener("input", () => {
      const v = Number(input.value);
      out.textContent = fmt({ ...model.get("spec"), kind: inp.signed ? "diverging" : "" }, v);
      const next = current();
      next[inp.id] = v;
      model.set("values", next);  // redraws at once (below), then syncs
      model.save_changes();
    });
    box.appendChild(h("div", { class: "ik-chart-input" }, [
      h("label", { for: iid, text: inp.label }), h("div", { class: "ik-chart-control" }, [input, out])]));
  });
}

export default {
  render({ model, el }) {
    const id = `ikc${++uid}`;
    el.classList.add("innokraft-chart", "ik-chart");
    const box = h("div", { class: "ik-chart-inputs" });
    const fig = h("figure", { class: "ik-chart-figure" });
    el.append(box, fig);
    drawInputs(model, box, fig, id);
    drawFigure(model, fig, id);
    const redraw = () => drawFigure(model, fig, id);
    const syncInputs = () => {
      const vals = model.get("values") || {};
      box.querySelectorAll("input[data-input]").forEach((input) => {
        const v = vals[input.dataset.input];
        if (v !== undefined && Number(input.value) !== Number(v)) {
          input.value = v;
          input.nextSibling.textContent = fmt({ ...model.get("spec"), kind: input.min < 0 ? "diverging" : "" }, Number(v));
        }
      });
    };
    model.on("change:spec", redraw);
    model.on("change:values", () => { syncInputs(); redraw(); });
    model.on("change:inputs", () => { drawInputs(model, box, fig, id); redraw(); });
    model.on("change:disabled", () => box.querySelectorAll("input").forEach((i) => { i.disabled = model.get("disabled"); }));
    return () => {
      model.off("change:spec", redraw);
    };
  },
};
