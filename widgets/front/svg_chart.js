// Draws a chart spec (from Python) as SVG: horizontal or vertical bars, or a radar.
// Words arrive as data and are set as text.
//
// The chart is laid out for the width it gets (320–640 px) at one SVG unit per CSS pixel, so
// its text keeps its CSS size on a phone instead of shrinking with a wide drawing; long words
// wrap onto lines of their own rather than run into each other. It is drawn again only when
// that width changes (a turned phone), so a page at rest stays still.
const NS = "http://www.w3.org/2000/svg";
const COLOURS = ["#1f5f99", "#5c5c5c", "#b34700"];
const MIN_W = 240, MAX_W = 640;
// Average glyph width per font size (system sans-serif); wrapping errs on the short side.
const GLYPH = 0.56;
const SIZES = { "ik-title": 17, "ik-label": 15, "ik-small": 13, "ik-note": 12 };

function svg(tag, attrs, parent, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}

// Words into lines of at most `room` px for text of class `cls` (a word longer than a line
// gets a line of its own).
function lines(text, room, cls) {
  const most = Math.max(4, Math.floor(room / (GLYPH * SIZES[cls])));
  const out = [];
  for (const word of String(text || "").split(/\s+/).filter(Boolean)) {
    const last = out.length ? out[out.length - 1] : null;
    if (last !== null && (last + " " + word).length <= most) out[out.length - 1] = last + " " + word;
    else out.push(word);
  }
  return out.length ? out : [""];
}

// Text on one or more lines; y is the first line's baseline. Returns the height used.
function textLines(root, attrs, text, room, cls) {
  const rows = lines(text, room, cls), step = Math.round(SIZES[cls] * 1.2);
  const el = svg("text", { ...attrs, class: cls }, root);
  rows.forEach((row, i) => svg("tspan", { x: attrs.x, dy: i ? step : 0 }, el, row));
  return rows.length * step;
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

// One swatch and name per series, wrapping onto a new row when the width runs out.
function legend(root, spec, W, y) {
  if (spec.series.length < 2) return y;
  let x = 10;
  spec.series.forEach((s, i) => {
    const w = 24 + GLYPH * SIZES["ik-small"] * s.name.length;
    if (x > 10 && x + w > W - 10) { x = 10; y += 20; }
    svg("rect", { x, y: y - 10, width: 12, height: 12, fill: fill(s, i) }, root);
    svg("text", { x: x + 16, y, class: "ik-small" }, root, s.name);
    x += w + 8;
  });
  return y + 22;
}

function hbar(root, spec, W, top) {
  const n = spec.categories.length, k = spec.series.length;
  const left = Math.min(190, Math.round(W * 0.4)), right = 24, plotW = W - left - right;
  const scale = (v) => left + ((v - spec.min) / (spec.max - spec.min)) * plotW;
  const rows = spec.categories.map((c) => lines(c, left - 12, "ik-label").length);
  const heights = rows.map((n) => Math.max(30, n * 18 + 12));
  const starts = heights.map((_, i) => top + heights.slice(0, i).reduce((a, b) => a + b, 0));
  const h = top + heights.reduce((a, b) => a + b, 0);
  for (const t of spec.ticks || []) {
    svg("line", { x1: scale(t.value), x2: scale(t.value), y1: top, y2: h, class: "ik-grid" }, root);
    svg("text", { x: scale(t.value), y: h + 16, "text-anchor": "middle", class: "ik-small" }, root, t.label);
  }
  spec.categories.forEach((c, i) => {
    const y0 = starts[i], rowH = heights[i], used = rows[i] * 18;
    textLines(root, { x: left - 8, y: y0 + (rowH - used) / 2 + 14, "text-anchor": "end" }, c, left - 12, "ik-label");
    spec.series.forEach((s, j) => {
      const bh = Math.min(22, (rowH - 8) / k), v = s.values[i];
      if (v === null || v === undefined) return;
      const by = y0 + (rowH - bh * k) / 2 + j * bh;
      svg("rect", { x: scale(Math.min(spec.min, v)), y: by, height: bh - 1,
                    width: Math.max(1, scale(v) - scale(spec.min)), fill: fill(s, j) }, root);
    });
  });
  let y = h + 36;
  if (spec.x_label) y += textLines(root, { x: left + plotW / 2, y, "text-anchor": "middle" }, spec.x_label, W - 20, "ik-small");
  return y;
}

function vbar(root, spec, W, top) {
  const n = spec.categories.length, left = 56, plotH = 200, bottom = top + plotH;
  const plotW = W - left - 20, colW = plotW / n;
  const scale = (v) => bottom - ((v - spec.min) / (spec.max - spec.min)) * plotH;
  for (const t of spec.ticks || []) {
    svg("line", { x1: left, x2: left + plotW, y1: scale(t.value), y2: scale(t.value), class: "ik-grid" }, root);
    svg("text", { x: left - 6, y: scale(t.value) + 4, "text-anchor": "end", class: "ik-small" }, root, t.label);
  }
  let under = 0;
  spec.categories.forEach((c, i) => {
    const x0 = left + i * colW;
    spec.series.forEach((s, j) => {
      const v = s.values[i];
      svg("rect", { x: x0 + Math.min(6, colW / 6), width: colW - 2 * Math.min(6, colW / 6), y: scale(v),
                    height: Math.max(0, bottom - scale(v)), fill: fill(s, i === 0 && s.first_grey ? 1 : j) }, root);
    });
    under = Math.max(under, textLines(root, { x: x0 + colW / 2, y: bottom + 16, "text-anchor": "middle" },
                                      c, colW - 4, "ik-small"));
  });
  if (spec.y_label) svg("text", { x: 14, y: top + plotH / 2, transform: `rotate(-90 14 ${top + plotH / 2})`,
                                  "text-anchor": "middle", class: "ik-small" }, root, spec.y_label);
  let y = bottom + under + 22;
  if (spec.x_label) y += textLines(root, { x: left + plotW / 2, y, "text-anchor": "middle" }, spec.x_label, W - 20, "ik-small");
  return y;
}

function radar(root, spec, W, top) {
  const n = spec.categories.length, cx = W / 2;
  // Room for a label of about 110 px on either side of the web.
  const room = Math.min(150, Math.max(90, (W - 2 * 140) / 2 + 40));
  const r = Math.max(60, Math.min(140, W / 2 - room - 8)), cy = top + r + 40;
  const at = (i, v) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n, f = (v - spec.min) / (spec.max - spec.min);
    return [cx + Math.cos(a) * r * f, cy + Math.sin(a) * r * f];
  };
  // Tick values along the line between the first two spokes: clear of every spoke's label.
  const between = (v) => {
    const a = -Math.PI / 2 + Math.PI / n, f = (v - spec.min) / (spec.max - spec.min);
    return [cx + Math.cos(a) * r * f, cy + Math.sin(a) * r * f];
  };
  for (const t of spec.ticks || []) {
    const pts = spec.categories.map((_, i) => at(i, t.value).join(",")).join(" ");
    svg("polygon", { points: pts, class: "ik-grid", fill: "none" }, root);
    const [tx, ty] = between(t.value);
    svg("text", { x: tx + 3, y: ty + 12, class: "ik-small" }, root, t.label);
  }
  let bottom = cy + r;
  spec.categories.forEach((c, i) => {
    const [x, y] = at(i, spec.max);
    svg("line", { x1: cx, y1: cy, x2: x, y2: y, class: "ik-grid" }, root);
    const [lx, ly] = at(i, spec.max + (spec.max - spec.min) * 0.12);
    const side = Math.abs(lx - cx) < 10 ? "middle" : (lx < cx ? "end" : "start");
    const width = side === "middle" ? 2 * room : (side === "end" ? lx - 4 : W - lx - 4);
    const rows = lines(c, width, "ik-small").length;
    // Labels above the web grow upwards, below it downwards, beside it around their point.
    const y0 = ly < cy - r * 0.5 ? ly - (rows - 1) * 16 : (ly > cy + r * 0.5 ? ly + 12 : ly + 4 - (rows - 1) * 8);
    textLines(root, { x: lx, y: y0, "text-anchor": side }, c, width, "ik-small");
    bottom = Math.max(bottom, y0 + rows * 16);
  });
  spec.series.forEach((s, j) => {
    const pts = s.values.map((v, i) => at(i, v).join(",")).join(" ");
    svg("polygon", { points: pts, fill: COLOURS[j % COLOURS.length], "fill-opacity": 0.2,
                     stroke: COLOURS[j % COLOURS.length], "stroke-width": 2 }, root);
  });
  return bottom + 24;
}

function render({ model, el }) {
  let drawnFor = 0;
  const width = () => Math.max(MIN_W, Math.min(MAX_W, Math.round(el.clientWidth || MAX_W)));
  const draw = () => {
    const spec = model.get("spec") || {};
    const W = width();
    drawnFor = W;
    el.replaceChildren();
    if (!spec.kind) return;
    const root = svg("svg", { viewBox: `0 0 ${W} 400`, role: "img", class: "ik-chart",
                              "aria-label": model.get("alt") || spec.title || "" }, el);
    patterns(root);
    const top = 22 + textLines(root, { x: W / 2, y: 20, "text-anchor": "middle" }, spec.title || "", W - 20, "ik-title");
    let y = spec.kind === "radar" ? radar(root, spec, W, top)
      : spec.kind === "vbar" ? vbar(root, spec, W, top) : hbar(root, spec, W, top);
    y = legend(root, spec, W, y);
    if (spec.note) y += textLines(root, { x: 10, y }, spec.note, W - 20, "ik-note");
    root.setAttribute("viewBox", `0 0 ${W} ${y + 6}`);
    root.style.maxWidth = `${W}px`;
  };
  draw();
  model.on("change:spec", draw);
  // A new width (the phone turned, the window resized) is a new layout; anything else is not.
  if (window.ResizeObserver) {
    const watcher = new ResizeObserver(() => { if (Math.abs(width() - drawnFor) > 8) draw(); });
    watcher.observe(el);
    return () => watcher.disconnect();
  }
}

export default { render };
