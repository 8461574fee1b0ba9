// Draws a chart spec (from Python) as SVG: horizontal bars (paired, or diverging from zero,
// with markers), vertical bars, a radar, a histogram over numeric bins, or a band over steps
// (several of them stacked as `panels`). Words arrive as data and are set as text (never as
// markup).
//
// Optional range inputs (`inputs`, labelled HTML controls above the drawing) feed series marked
// `from_inputs`: a move redraws the chart here at once, with no trip to the kernel, and then
// syncs `values` to the kernel (which saves them).
//
// The chart is laid out for the width it gets (320–640 px) at one SVG unit per CSS pixel, so
// its text keeps its CSS size on a phone instead of shrinking with a wide drawing; long words
// wrap onto lines of their own rather than run into each other. It is drawn again only when
// that width changes (a turned phone), so a page at rest stays still.
const NS = "http://www.w3.org/2000/svg";
const COLOURS = ["#1f5f99", "#5c5c5c", "#b34700"];
const MIN_W = 240, MAX_W = 640;
const SIZES = { "ik-title": 17, "ik-label": 15, "ik-small": 13, "ik-note": 12 };

function svg(tag, attrs, parent, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}

// Text widths in the font the page gives the chart, measured on a canvas (no layout, no
// reflow); set by the first chart drawn. Without it (never in a browser), an average glyph
// width, erring on the wide side.
const WEIGHTS = { "ik-title": 600 };
let measureFont = null;
const measured = new Map();
function textWidth(text, cls) {
  const key = `${cls}|${text}`;
  if (!measured.has(key)) {
    let w = String(text).length * SIZES[cls] * 0.62;
    if (measureFont) {
      measureFont.font = `${WEIGHTS[cls] || 400} ${SIZES[cls]}px ${measureFont.family}`;
      w = measureFont.measureText(String(text)).width;
    }
    measured.set(key, w);
  }
  return measured.get(key);
}
function startMeasuring(el) {
  if (measureFont) return;
  const ctx = document.createElement("canvas").getContext("2d");
  if (!ctx) return;
  ctx.family = getComputedStyle(el).fontFamily || "sans-serif";
  measureFont = ctx;
}

// Words into lines of at most `room` px for text of class `cls`, as measured. A word longer
// than a line (a Swedish compound on a phone) is broken with a hyphen rather than cut off.
function lines(text, room, cls) {
  const out = [];
  const words = String(text || "").split(/\s+/).filter(Boolean).flatMap((word) => {
    const parts = [];
    while (word.length > 4 && textWidth(word, cls) > room) {
      let n = word.length - 1;
      while (n > 3 && textWidth(word.slice(0, n) + "-", cls) > room) n -= 1;
      parts.push(word.slice(0, n) + "-");
      word = word.slice(n);
    }
    return [...parts, word];
  });
  for (const word of words) {
    const last = out.length ? out[out.length - 1] : null;
    if (last !== null && textWidth(last + " " + word, cls) <= room) out[out.length - 1] = last + " " + word;
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

// Text centred on `cx` where it fits, else moved in just enough to stay inside the drawing
// (an axis title is centred on its plot, which on a phone is not the drawing's middle).
function centred(root, cx, y, text, W, cls) {
  const half = Math.max(...lines(text, W - 20, cls).map((r) => textWidth(r, cls))) / 2;
  const x = Math.min(Math.max(cx, 10 + half), W - 10 - half);
  return textLines(root, { x, y, "text-anchor": "middle" }, text, W - 20, cls);
}

// A hatch of white lines over a colour: one pattern per colour, named by it, so two charts
// on a page that define the same name define the same pattern.
function hatch(root, colour) {
  const id = "ik-hatch-" + colour.replace(/[^0-9a-z]/gi, "");
  if (!root.querySelector("#" + id)) {
    const defs = root.querySelector("defs") || svg("defs", {}, root);
    const p = svg("pattern", { id, width: 6, height: 6, patternUnits: "userSpaceOnUse",
                               patternTransform: "rotate(45)" }, defs);
    svg("rect", { width: 6, height: 6, fill: colour }, p);
    svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#ffffff", "stroke-width": 2 }, p);
  }
  return `url(#${id})`;
}

// A series' colour: its own, else the palette's by position (a hatched series is grey).
function colour(series, i) {
  return series.color || (series.pattern === "hatch" ? COLOURS[1] : COLOURS[i % COLOURS.length]);
}

// The fill of bar `k` of series `i`: a bar may have its own colour and hatch (`colors`,
// `hatched`), e.g. the option a leader chose.
function fill(root, series, i, k) {
  const c = (series.colors && series.colors[k]) || colour(series, i);
  // k < 0 is the legend's swatch: hatched when every bar of the series is.
  const hatched = series.hatched ? (k < 0 ? series.hatched.every(Boolean) : series.hatched[k])
    : series.pattern === "hatch";
  return hatched ? hatch(root, c) : c;
}

// One swatch and name per series, wrapping onto a new row when the width runs out; a name
// too long for a row of its own wraps beside its swatch.
// Entries: [{name, fill, line, marker, symbol}] — a swatch, a short line (a line series or a
// reference), a diamond (a marker series) or a text symbol (a category mark).
function legend(root, entries, W, y) {
  if (!entries.length) return y;
  let x = 10;
  for (const e of entries) {
    const rows = lines(e.name, W - 36, "ik-small");
    const w = 24 + Math.max(...rows.map((r) => textWidth(r, "ik-small")));
    if (x > 10 && (x + w > W - 10 || rows.length > 1)) { x = 10; y += 20; }
    if (e.line) svg("line", { x1: x, x2: x + 12, y1: y - 4, y2: y - 4, stroke: e.line, "stroke-width": 2,
                              "stroke-dasharray": e.dash || "none" }, root);
    else if (e.marker) svg("path", { d: `M${x + 6} ${y - 11} L${x + 12} ${y - 5} L${x + 6} ${y + 1} L${x} ${y - 5} Z`,
                                     fill: e.marker }, root);
    else if (e.symbol) svg("text", { x, y, class: "ik-small" }, root, e.symbol);
    else svg("rect", { x, y: y - 10, width: 12, height: 12, fill: e.fill }, root);
    textLines(root, { x: x + 16, y }, e.name, W - 36, "ik-small");
    // After a wrapped name the next entry starts a row of its own.
    if (rows.length > 1) { y += (rows.length - 1) * Math.round(SIZES["ik-small"] * 1.2); x = W; } else x += w + 8;
  }
  return y + 22;
}

function entries(root, spec) {
  const out = [];
  const named = (spec.series || []).filter((s) => s.name);
  if (named.length > 1 || spec.legend_single) {
    named.forEach((s, i) => out.push(s.kind === "line" ? { name: s.name, line: colour(s, i), dash: DASH[s.style] }
      : s.kind === "marker" ? { name: s.name, marker: colour(s, i) } : { name: s.name, fill: fill(root, s, i, -1) }));
  }
  for (const m of spec.legend_extra || []) out.push({ name: m.label, symbol: m.symbol });
  if (spec.band && spec.band.name) out.push({ name: spec.band.name, fill: BAND });
  for (const l of spec.lines || []) if (l.name) out.push({ name: l.name, line: "#1a1a1a", dash: DASH[l.style] });
  return out;
}

const BAND = "#b8cfe4";  // the palette's blue, lightened: a range, not a value
const DASH = { dotted: "2 3", dashed: "6 4", solid: "none" };

// Reference lines across a plot, at x (`across` = "x") or y values.
function references(root, spec, scale, from, to, across) {
  for (const l of spec.lines || []) {
    const at = scale(l.value);
    const [x1, x2, y1, y2] = across === "x" ? [at, at, from, to] : [from, to, at, at];
    svg("line", { x1, x2, y1, y2, stroke: "#1a1a1a", "stroke-width": 1.5,
                  "stroke-dasharray": DASH[l.style] || "none" }, root);
  }
}

// A category: a plain name, or {id, label, symbol}; the id ties it to an input's value, the
// symbol (e.g. "●") is explained by the spec's `legend_extra`.
function category(c) {
  return c !== null && typeof c === "object" ? c : { label: String(c) };
}

function categoryText(c) {
  const k = category(c);
  return k.symbol ? `${k.label} ${k.symbol}` : String(k.label);
}

// Digits as the page's language writes them, like widgets/numbers.py: "1 000,5" in Swedish
// (no-break space), "1,000.5" in English.
function digits(n) {
  const sv = (document.documentElement.lang || "sv").startsWith("sv");
  const [whole, part] = String(n).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, sv ? "\u00a0" : ",");
  return part ? `${grouped}${sv ? "," : "."}${part}` : grouped;
}

// A number as text in the spec's unit: "65 %", "+2" when `signed`, "−2" with a real minus.
function number(spec, v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const r = Math.round(v * 10) / 10;
  const sign = r < 0 ? "\u2212" : (spec.signed && r > 0 ? "+" : "");
  const unit = spec.unit ? (spec.unit === "%" ? " %" : ` ${spec.unit}`) : "";
  return `${sign}${digits(Math.abs(r))}${unit}`;
}

// Bar `i` of a series as text: its label, else (when the spec has a `unit`) its number, and
// its note after it in brackets (e.g. its source).
function valueText(spec, s, i, v) {
  const text = (s.labels && s.labels[i]) || (spec.unit !== undefined ? number(spec, v) : "");
  const note = s.notes && s.notes[i];
  return text && note ? `${text} (${note})` : text;
}

// The spec as drawn now: series `from_inputs` take the inputs' values by category id, and
// `sort: "value"` orders the categories by the first series (smallest first).
const PER_BAR = ["values", "labels", "notes", "colors", "hatched"];
function prepare(spec, inputs) {
  if (spec.kind === "panels") return { ...spec, panels: (spec.panels || []).map((p) => prepare(p, inputs)) };
  if (!Array.isArray(spec.series) || !Array.isArray(spec.categories)) return spec;
  let categories = spec.categories;
  let series = spec.series.map((s) => (s.from_inputs ? {
    ...s, values: categories.map((c) => {
      const id = category(c).id;
      return id !== undefined && id in inputs ? Number(inputs[id]) : null;
    }),
  } : s));
  if (spec.sort === "value" && series.length) {
    const key = series[0].values;
    const order = categories.map((_, i) => i).sort((a, b) => (key[a] ?? 0) - (key[b] ?? 0) || a - b);
    categories = order.map((i) => categories[i]);
    series = series.map((s) => {
      const out = { ...s };
      for (const f of PER_BAR) if (Array.isArray(s[f])) out[f] = order.map((i) => s[f][i]);
      return out;
    });
  }
  return { ...spec, categories, series };
}

// Horizontal bars, one row per category, a series' bars side by side in it. Bars grow from
// zero (left or right of it when `min` < 0: diverging bars) or from `min`. Labels sit left of
// the bars, or over them across the whole width (`labels_above`). A series of kind "marker"
// is a diamond at its value, its values written under the row.
function hbar(root, spec, W, top) {
  const bars = spec.series.filter((s) => s.kind !== "marker");
  const markers = spec.series.filter((s) => s.kind === "marker");
  const k = Math.max(1, bars.length), above = !!spec.labels_above;
  const names = spec.categories.map(categoryText);
  // Room for the labels beside the bars: 40 % of the width, up to half of it when a single word
  // needs more.
  const longest = Math.max(0, ...names.flatMap((c) => c.split(/\s+/).map((w) => textWidth(w, "ik-label"))));
  // Over the bars, a label starts where they do: far enough in for the first tick's label.
  const firstTick = (spec.ticks || [])[0];
  const left = above ? Math.max(10, Math.ceil(firstTick ? textWidth(firstTick.label, "ik-small") / 2 + 6 : 0))
    : Math.round(Math.max(Math.min(190, W * 0.4), Math.min(W * 0.5, longest + 14)));
  const right = 24, plotW = W - left - right, labelRoom = above ? W - 20 : left - 12;
  const scale = (v) => left + ((v - spec.min) / (spec.max - spec.min)) * plotW;
  const base = Math.min(Math.max(0, spec.min), spec.max);
  const rows = names.map((c) => lines(c, labelRoom, "ik-label").length);
  const marked = spec.categories.map((_, i) => markers
    .filter((m) => m.values[i] !== null && m.values[i] !== undefined)
    .map((m) => `${m.name}: ${valueText(spec, m, i, m.values[i])}`).join(" · "));
  // Under a row's bars, a lane of its own for the markers (clear of the values' text), then
  // the markers' values as text.
  const extra = marked.map((t) => (t ? 18 + lines(t, W - left - 10, "ik-small").length * 16 : 0));
  const heights = rows.map((r, i) => (above ? r * 18 + 6 + k * 22 + 10 : Math.max(30, r * 18 + 12)) + extra[i]);
  const starts = heights.map((_, i) => top + heights.slice(0, i).reduce((a, b) => a + b, 0));
  const plotted = starts.map((y0, i) => (above ? [y0 + rows[i] * 18 + 6, y0 + rows[i] * 18 + 6 + k * 22]
    : [y0, y0 + heights[i] - extra[i]]));
  const h = top + heights.reduce((a, b) => a + b, 0);
  // Grid lines (and the zero line of diverging bars) across the plot, or across each row's
  // bars when the labels sit over them.
  const spans = above ? plotted : [[top, h]];
  for (const [y1, y2] of spans) {
    for (const t of spec.ticks || []) svg("line", { x1: scale(t.value), x2: scale(t.value), y1, y2, class: "ik-grid" }, root);
    if (spec.min < 0 && spec.max > 0) svg("line", { x1: scale(0), x2: scale(0), y1, y2, stroke: "#1a1a1a" }, root);
  }
  const tickRows = xTicks(root, spec.ticks, scale, h + 16);
  spec.categories.forEach((c, i) => {
    const [b0, b1] = plotted[i], rowH = b1 - b0;
    if (above) textLines(root, { x: left, y: starts[i] + 14 }, names[i], labelRoom, "ik-label");
    else textLines(root, { x: left - 8, y: b0 + (rowH - rows[i] * 18) / 2 + 14, "text-anchor": "end" },
                   names[i], labelRoom, "ik-label");
    bars.forEach((s, j) => {
      const bh = above ? 22 : Math.min(22, (rowH - 8) / k), v = s.values[i], si = spec.series.indexOf(s);
      if (v === null || v === undefined) return;
      const by = b0 + (rowH - bh * k) / 2 + j * bh, from = scale(Math.min(base, v));
      const paint = fill(root, s, si, i);
      svg("rect", { x: from, y: by, height: bh - 1, width: Math.max(1, scale(Math.max(base, v)) - from), fill: paint }, root);
      // The value as text beside its bar's end (inside the end when there is no room beyond it).
      const text = valueText(spec, s, i, v);
      if (!text) return;
      const end = scale(v), up = v >= base;
      const inside = (up ? W - end - 6 : end - 6) < textWidth(text, "ik-small");
      const after = up !== inside;
      const cls = inside ? `ik-small ik-on-bar${paint.startsWith("url(") ? " ik-on-hatch" : ""}` : "ik-small";
      svg("text", { x: after ? end + 4 : end - 4, y: by + bh / 2 + 4, "text-anchor": after ? "start" : "end",
                    class: `${cls} ik-chart-value` }, root, text);
    });
    markers.forEach((m) => {
      const v = m.values[i];
      if (v === null || v === undefined) return;
      const x = scale(v), cy = b1 + 9;
      svg("path", { d: `M${x} ${cy - 8} L${x + 8} ${cy} L${x} ${cy + 8} L${x - 8} ${cy} Z`,
                    fill: colour(m, spec.series.indexOf(m)), stroke: "#ffffff" }, root);
    });
    if (marked[i]) textLines(root, { x: left, y: b1 + 32 }, marked[i], W - left - 10, "ik-small");
  });
  references(root, spec, scale, top, h, "x");
  let y = h + 36 + 16 * Math.max(0, tickRows - 1);
  if (spec.x_label) y += centred(root, left + plotW / 2, y, spec.x_label, W, "ik-small");
  return y;
}

// Tick labels under a horizontal axis at `y`. A label that would run into the one before it
// (words such as "Några", "Många" on a narrow plot) goes on a second row instead of over it.
// Returns the rows used.
function xTicks(root, ticks, x, y) {
  const ends = [-Infinity, -Infinity];
  let used = 0;
  for (const t of ticks || []) {
    const half = textWidth(t.label, "ik-small") / 2, at = x(t.value);
    const row = at - half > ends[0] + 4 ? 0 : 1;
    ends[row] = at + half;
    used = Math.max(used, row + 1);
    svg("text", { x: at, y: y + row * 16, "text-anchor": "middle", class: "ik-small" }, root, t.label);
  }
  return used;
}

// Value lines across a vertical plot, each labelled at its left.
function yGrid(root, ticks, y, left, plotW) {
  for (const t of ticks || []) {
    svg("line", { x1: left, x2: left + plotW, y1: y(t.value), y2: y(t.value), class: "ik-grid" }, root);
    svg("text", { x: left - 6, y: y(t.value) + 4, "text-anchor": "end", class: "ik-small" }, root, t.label);
  }
}

// The y axis' title over the plot, read across like the rest of the text (turned along the
// axis it ran into the x axis' title on a phone); returns where the plot starts.
function yTitle(root, spec, W, top) {
  if (!spec.y_label) return top;
  return top + textLines(root, { x: 10, y: top + 13 }, spec.y_label, W - 20, "ik-small") + 14;
}

// The x axis' title under the plot from `y`; returns where the next part starts.
function axisTitles(root, spec, W, plot, y) {
  if (spec.x_label) y += centred(root, plot.left + plot.plotW / 2, y, spec.x_label, W, "ik-small");
  return y;
}

function vbar(root, spec, W, top) {
  top = yTitle(root, spec, W, top);
  const n = spec.categories.length, left = 56, plotH = 200, bottom = top + plotH;
  const plotW = W - left - 20, colW = plotW / n;
  const scale = (v) => bottom - ((v - spec.min) / (spec.max - spec.min)) * plotH;
  yGrid(root, spec.ticks, scale, left, plotW);
  let under = 0;
  spec.categories.forEach((c, i) => {
    const x0 = left + i * colW;
    spec.series.forEach((s, j) => {
      const v = s.values[i];
      svg("rect", { x: x0 + Math.min(6, colW / 6), width: colW - 2 * Math.min(6, colW / 6), y: scale(v),
                    height: Math.max(0, bottom - scale(v)), fill: fill(root, s, i === 0 && s.first_grey ? 1 : j, i) }, root);
    });
    under = Math.max(under, textLines(root, { x: x0 + colW / 2, y: bottom + 16, "text-anchor": "middle" },
                                      c, colW - 4, "ik-small"));
  });
  return axisTitles(root, spec, W, { left, plotW, top, plotH }, bottom + under + 22);
}

// Counts over numeric bins (`bins`: n + 1 edges; each series n counts), series side by side
// in each bin; `ticks` label the x axis, `y_ticks` the counts.
function hist(root, spec, W, top) {
  top = yTitle(root, spec, W, top);
  const left = 56, plotH = 180, bottom = top + plotH, plotW = W - left - 20, k = spec.series.length;
  const lo = spec.bins[0], hi = spec.bins[spec.bins.length - 1];
  const x = (v) => left + ((v - lo) / (hi - lo || 1)) * plotW;
  const most = Math.max(1, ...spec.series.flatMap((s) => s.values)) * 1.05;  // the tallest bar clear of the title
  const y = (v) => bottom - (v / most) * plotH;
  yGrid(root, spec.y_ticks, y, left, plotW);
  spec.series.forEach((s, j) => s.values.forEach((v, i) => {
    const x0 = x(spec.bins[i]), w = (x(spec.bins[i + 1]) - x0) / k;
    svg("rect", { x: x0 + j * w, width: Math.max(1, w - 1), y: y(v), height: Math.max(0, bottom - y(v)),
                  fill: fill(root, s, j, i) }, root);
  }));
  svg("line", { x1: left, x2: left + plotW, y1: bottom, y2: bottom, stroke: "#1a1a1a" }, root);
  references(root, spec, x, top, bottom, "x");
  for (const t of spec.ticks || []) {
    svg("line", { x1: x(t.value), x2: x(t.value), y1: bottom, y2: bottom + 4, stroke: "#1a1a1a" }, root);
    svg("text", { x: x(t.value), y: bottom + 18, "text-anchor": "middle", class: "ik-small" }, root, t.label);
  }
  return axisTitles(root, spec, W, { left, plotW, top, plotH }, bottom + 40);
}

// A range over steps (`band`: {low, high}) with lines through it (series of kind "line"),
// over `categories` as the steps; `ticks` label the values.
function band(root, spec, W, top) {
  top = yTitle(root, spec, W, top);
  const left = 56, plotH = 160, bottom = top + plotH, plotW = W - left - 24, n = spec.categories.length;
  const x = (i) => left + (n > 1 ? (i / (n - 1)) * plotW : plotW / 2);
  const y = (v) => bottom - ((v - spec.min) / (spec.max - spec.min || 1)) * plotH;
  yGrid(root, spec.ticks, y, left, plotW);
  if (spec.band) {
    const up = spec.band.high.map((v, i) => `${x(i)},${y(v)}`);
    const down = spec.band.low.map((v, i) => `${x(i)},${y(v)}`).reverse();
    svg("polygon", { points: [...up, ...down].join(" "), fill: BAND }, root);
  }
  references(root, spec, y, left, left + plotW, "y");
  spec.series.forEach((s, j) => svg("polyline", {
    points: s.values.map((v, i) => `${x(i)},${y(v)}`).join(" "), fill: "none",
    stroke: colour(s, j), "stroke-width": 2.5, "stroke-dasharray": DASH[s.style] || "none" }, root));
  // Every step named if they fit, else every other one.
  const every = n * 28 > plotW ? 2 : 1;
  spec.categories.forEach((c, i) => {
    if (i % every === 0) svg("text", { x: x(i), y: bottom + 18, "text-anchor": "middle", class: "ik-small" }, root, c);
  });
  return axisTitles(root, spec, W, { left, plotW, top, plotH }, bottom + 40);
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
  const spots = spec.categories.map((_, i) => at(i, spec.max + (spec.max - spec.min) * 0.12));
  spec.categories.forEach((c, i) => {
    const [x, y] = at(i, spec.max);
    svg("line", { x1: cx, y1: cy, x2: x, y2: y, class: "ik-grid" }, root);
    const [lx, ly] = spots[i];
    const side = Math.abs(lx - cx) < 10 ? "middle" : (lx < cx ? "end" : "start");
    // A label at the top or bottom stays between its neighbours' points (theirs run outwards
    // from there); one beside the web has the width out to the edge.
    const gap = Math.min(...[spots[(i + 1) % n], spots[(i + n - 1) % n]].map((p) => Math.abs(p[0] - cx)));
    const width = side === "middle" ? Math.min(2 * room, Math.max(60, 2 * gap - 8))
      : (side === "end" ? lx - 4 : W - lx - 4);
    const rows = lines(c, width, "ik-small").length;
    // Labels above the web grow upwards, below it downwards, beside it around their point.
    const y0 = ly < cy - r * 0.5 ? ly - (rows - 1) * 16 : (ly > cy + r * 0.5 ? ly + 12 : ly + 4 - (rows - 1) * 8);
    textLines(root, { x: lx, y: y0, "text-anchor": side }, c, width, "ik-small");
    bottom = Math.max(bottom, y0 + rows * 16);
  });
  spec.series.forEach((s, j) => {
    const pts = s.values.map((v, i) => at(i, v).join(",")).join(" ");
    svg("polygon", { points: pts, fill: colour(s, j), "fill-opacity": 0.2,
                     stroke: colour(s, j), "stroke-width": 2 }, root);
  });
  return bottom + 24;
}

const KINDS = { hbar, vbar, radar, hist, band };

// Numbered per page, not per module: a front-end may load this module once for each chart
// (anywidget in JupyterLab does), and two charts with inputs must not share their ids.
const CHARTS = Symbol.for("innokraft.charts");

function html(tag, attrs, text) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

// An input's value as its readout shows it, in the chart's unit.
function readout(model, inp, v) {
  return number({ unit: (model.get("spec") || {}).unit, signed: inp.signed }, v);
}

// The range inputs above the drawing, each labelled with its visible text. A move redraws the
// chart at once (the change:values handler) and then syncs `values` to the kernel.
function drawInputs(model, box, id) {
  const inputs = model.get("inputs") || [];
  box.replaceChildren();
  box.hidden = inputs.length === 0;
  // With inputs, the whole widget (inputs and drawing) is the chart; without, the drawing is.
  box.parentElement.classList.toggle("ik-chart", inputs.length > 0);
  inputs.forEach((inp, i) => {
    const iid = `${id}-in${i}`;
    // An input with no value yet (no preset guess to anchor the leader's) shows a dash, a faded
    // thumb and, to a screen reader, its `unset` words, until it is moved.
    const given = (model.get("values") || {})[inp.id];
    const unset = given === undefined || given === null;
    const value = unset ? inp.min : given;
    const input = html("input", { type: "range", id: iid, min: inp.min, max: inp.max, step: inp.step || 1,
                                  value, "data-input": inp.id });
    input.disabled = !!model.get("disabled");
    const out = html("output", { for: iid, class: "ik-chart-readout" },
                     unset ? "–" : readout(model, inp, Number(value)));
    input.addEventListener("input", () => {
      const v = Number(input.value);
      markSet(input);
      out.textContent = readout(model, inp, v);
      model.set("values", { ...(model.get("values") || {}), [inp.id]: v });
      model.save_changes();
    });
    const control = html("div", { class: "ik-chart-control" });
    control.append(input, out);
    if (unset) markUnset(input, inp.unset || "–");
    const row = html("div", { class: "ik-chart-input" });
    row.append(html("label", { for: iid }, inp.label), control);
    box.appendChild(row);
  });
}

function markUnset(input, words) {
  input.setAttribute("aria-valuetext", words);
  input.parentElement?.classList.add("ik-unset");
  input.dataset.unset = "1";
}

function markSet(input) {
  if (!input.dataset.unset) return;
  input.removeAttribute("aria-valuetext");
  input.parentElement?.classList.remove("ik-unset");
  delete input.dataset.unset;
}

// Inputs and readouts brought to `values` set elsewhere (the kernel restoring a saved answer);
// only what differs is touched, so a page at rest stays still.
function syncInputs(model, box) {
  const inputs = model.get("inputs") || [], vals = model.get("values") || {};
  box.querySelectorAll("input[data-input]").forEach((input, i) => {
    const v = vals[input.dataset.input];
    if (v === undefined || v === null) return;  // still unset: its words stay
    markSet(input);
    if (Number(input.value) !== Number(v)) input.value = v;
    const out = input.nextSibling, text = readout(model, inputs[i] || {}, Number(input.value));
    if (out.textContent !== text) out.textContent = text;
  });
}

function render({ model, el }) {
  const id = `ik-chart${(globalThis[CHARTS] = (globalThis[CHARTS] || 0) + 1)}`;
  el.classList.add("innokraft-chart");
  const box = html("div", { class: "ik-chart-inputs" }), figure = html("div", { class: "ik-chart-figure" });
  el.append(box, figure);
  let drawnFor = 0, root = null;
  startMeasuring(el);
  const width = () => Math.max(MIN_W, Math.min(MAX_W, Math.round(el.clientWidth || MAX_W)));
  const label = () => model.get("alt") || (model.get("spec") || {}).title || "";
  const draw = () => {
    const spec = prepare(model.get("spec") || {}, model.get("values") || {});
    const W = width();
    drawnFor = W;
    figure.replaceChildren();
    root = null;
    if (!spec.kind) return;
    root = svg("svg", { viewBox: `0 0 ${W} 400`, role: "img", class: "ik-chart", "aria-label": label() }, figure);
    let y = 22 + textLines(root, { x: W / 2, y: 20, "text-anchor": "middle" }, spec.title || "", W - 20, "ik-title");
    const panels = spec.kind === "panels" ? spec.panels : [spec];
    for (const panel of panels) {
      if (panel !== spec && panel.title) y += 8 + textLines(root, { x: W / 2, y: y + 8, "text-anchor": "middle" }, panel.title, W - 20, "ik-label");
      y = (KINDS[panel.kind] || hbar)(root, panel, W, y);
    }
    y = legend(root, panels.flatMap((panel) => entries(root, panel)), W, y);
    if (spec.note) y += textLines(root, { x: 10, y }, spec.note, W - 20, "ik-note");
    if (spec.source) y += textLines(root, { x: 10, y }, spec.source, W - 20, "ik-note");
    root.setAttribute("viewBox", `0 0 ${W} ${y + 6}`);
    root.style.maxWidth = `${W}px`;
  };
  const handlers = {
    "change:spec": () => { syncInputs(model, box); draw(); },
    "change:values": () => { syncInputs(model, box); draw(); },
    "change:inputs": () => { drawInputs(model, box, id); draw(); },
    "change:disabled": () => box.querySelectorAll("input").forEach((i) => { i.disabled = !!model.get("disabled"); }),
    // The words alone changed (e.g. the guesses they name): the drawing stays.
    "change:alt": () => { if (root && root.getAttribute("aria-label") !== label()) root.setAttribute("aria-label", label()); },
  };
  drawInputs(model, box, id);
  draw();
  for (const [event, handler] of Object.entries(handlers)) model.on(event, handler);
  // A new width (the phone turned, the window resized) is a new layout; anything else is not.
  const watcher = window.ResizeObserver ? new ResizeObserver(() => { if (Math.abs(width() - drawnFor) > 8) draw(); }) : null;
  if (watcher) watcher.observe(el);
  return () => {
    for (const [event, handler] of Object.entries(handlers)) model.off(event, handler);
    if (watcher) watcher.disconnect();
  };
}

export default { render };
