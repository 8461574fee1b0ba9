// A map of named points that a leader drags: by mouse, touch or keyboard alone.
// Used by the portfolio mapper (OPSI diamond) and the assumption map (quadrants).
// All words come from the model's `config` (course_config); learner names are set as
// text, never as markup. Python validates every change and answers with `status`,
// which a polite live region announces.
//
// The map is laid out for the width it gets at one SVG unit per CSS pixel (like the charts),
// so its words keep their CSS size on a phone and are measured, not guessed: the region names
// sit outside the square the points live in (the corners and the tips' sides), each point's
// name goes where it is clear of the edge and of the other points, and a new point lands
// where no other point is. It is drawn again only when its width changes or a point does.
const NS = "http://www.w3.org/2000/svg";
const STEP = 0.5, BIG_STEP = 2;
const WIDEST = 560;          // the drawing's widest; the list below it takes the whole width
const HIT = 22;              // a point's invisible target: 44 CSS px across
const R_MIN = 6, R_MAX = 16; // a sized point's dot; an unsized one is R_PLAIN
const R_PLAIN = 8;
const GAP = R_MAX + 3;       // from the square to any region name: a point's dot never reaches it
const LINE = 16;             // one line of 12–13 px text
const LABEL_CHARS = 16;      // a point's name on the map at most (whole words); the list has it all
// Sizes and weights as point_map.css sets them, for measuring.
const FONTS = { region: [13, 400], strong: [13, 700], axis: [12, 400], name: [12, 400] };

function svg(tag, attrs, parent, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}
function html(tag, attrs, parent, text) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}
const clamp = (v) => Math.max(0, Math.min(10, Math.round(v * 2) / 2));
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

// Numbers as the page's language writes them ("7,5" in Swedish, "1 200" with a no-break space).
function numberFormat() {
  const lang = document.documentElement.lang || "sv";
  try { return new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }); } catch (e) { return new Intl.NumberFormat("sv"); }
}

// Text widths from the font the page gives the drawing: a canvas measures without laying
// anything out, so a draw costs one measurement per word and no reflow.
function measurer(el) {
  const family = getComputedStyle(el).fontFamily || "sans-serif";
  const ctx = document.createElement("canvas").getContext("2d");
  const seen = new Map();
  return (text, kind) => {
    const [size, weight] = FONTS[kind];
    const key = `${kind}|${text}`;
    if (!seen.has(key)) {
      let w = text.length * size * 0.62;  // no canvas (never in a browser): err on the wide side
      if (ctx) { ctx.font = `${weight} ${size}px ${family}`; w = ctx.measureText(text).width; }
      seen.set(key, w);
    }
    return seen.get(key);
  };
}

// Words into lines no wider than `room`; a word is never split (a longer one gets a line of its own).
function wrap(text, room, kind, width) {
  const out = [];
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const last = out.length ? out[out.length - 1] : null;
    if (last !== null && width(`${last} ${word}`, kind) <= room) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out.length ? out : [""];
}

// A point's name as the map shows it: whole words up to LABEL_CHARS, then "…". It is always the
// start of the point's accessible name, word for word (WCAG 2.5.3: say what you see).
function shortName(name) {
  if (name.length <= LABEL_CHARS) return name;
  const words = name.match(/[^\s-]+-?|\s+/g) || [name];
  let out = "";
  for (const w of words) {
    if ((out + w).trimEnd().length > LABEL_CHARS) break;
    out += w;
  }
  out = out.trim().replace(/-$/, "");
  return (out || words[0].replace(/-$/, "")) + "…";
}

function overlap(a, b) {
  const dx = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1), dy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  return dx > 0 && dy > 0 ? dx * dy : 0;
}

// Where everything goes for a drawing `W` px wide: the square the points live in, the region
// names around it and the axis titles. Only measuring, no drawing.
function layout(cfg, W, width) {
  const diamond = cfg.background === "diamond";
  const regions = cfg.regions || [];
  const at = (pos) => regions.filter((r) => r.at === pos);
  const kind = (r) => (r.strong ? "strong" : "region");
  const yTitle = `${cfg.y_low} ← ${cfg.y_label} → ${cfg.y_high}`;
  const xTitle = `${cfg.x_low} ← ${cfg.x_label} → ${cfg.x_high}`;
  const side = (pos) => (at(pos).length ? LINE + 2 : 0);
  // Left to right: the y axis's title (turned), the left tip's name (turned), room for a dot.
  const yCol = 4 + LINE;
  const left = yCol + side("left") + GAP, right = side("right") + GAP + 4;
  const S = Math.max(120, Math.min(420, W - left - right));
  const x0 = left + Math.max(0, (W - left - right - S) / 2);
  // The corners' names use the width beside the y axis's title, half of it each.
  const from = yCol + 4, to = W - 4, half = (to - from) / 2 - 6;
  // A band of names above or below the square, in rows counted from the square outwards:
  // the corners' names (their lines nearest the square last above it, first below it), then
  // the tip's name, on the nearest row when it fits between the corners' names.
  const band = (corners, middle, above) => {
    const texts = [];
    const nearest = { start: 0, end: 0 };
    for (const r of corners) {
      const rows = wrap(r.label, half, kind(r), width), anchor = r.at.endsWith("right") ? "end" : "start";
      rows.forEach((row, i) => {
        const w = width(row, kind(r)), n = above ? rows.length - 1 - i : i;
        if (n === 0) nearest[anchor] = w;
        texts.push({ text: row, kind: kind(r), row: n, x: anchor === "end" ? to : from, anchor, w });
      });
    }
    let rows = Math.max(0, ...texts.map((t) => t.row + 1));
    for (const r of middle) {
      const w = width(r.label, kind(r)), cx = x0 + S / 2;
      const fits = cx - w / 2 > from + nearest.start + 8 && cx + w / 2 < to - nearest.end - 8;
      texts.push({ text: r.label, kind: kind(r), row: fits ? 0 : rows, x: cx, anchor: "middle", w });
      if (!fits || rows === 0) rows += 1;
    }
    return { texts, rows };
  };
  const top = band([...at("top-left"), ...at("top-right")], at("top"), true);
  const bottom = band([...at("bottom-left"), ...at("bottom-right")], at("bottom"), false);
  const y0 = 6 + top.rows * LINE + GAP;
  const below = y0 + S + GAP + bottom.rows * LINE + 6;
  // The x axis's title under everything, clear of the y axis's column on either side.
  const xRows = wrap(xTitle, W - 2 * from, "axis", width);
  let height = below + xRows.length * LINE + 4;
  // The y axis's title runs along the whole drawing (nothing else is in its column); a long
  // one makes the drawing taller rather than leave it.
  height = Math.max(height, width(yTitle, "axis") + 8);
  return { diamond, S, x0, y0, W, height, top, bottom, below, xRows, yTitle, at,
           px: (x) => x0 + (x / 10) * S, py: (y) => y0 + (1 - y / 10) * S };
}

function background(g, L) {
  const { px, py, S, x0, y0 } = L;
  // The square points may take (on the diamond it is not drawn): a test finds the data area by it.
  svg("rect", { x: x0, y: y0, width: S, height: S, class: L.diamond ? "ik-map-frame" : "ik-map-area" }, g);
  if (L.diamond) {
    svg("polygon", { points: `${px(0)},${py(5)} ${px(5)},${py(10)} ${px(10)},${py(5)} ${px(5)},${py(0)}`,
      class: "ik-map-area" }, g);
  } else {
    svg("rect", { x: px(0), y: py(10), width: S / 2, height: S / 2, class: "ik-map-hot" }, g);
  }
  svg("line", { x1: px(0), y1: py(5), x2: px(10), y2: py(5), class: "ik-map-axis" }, g);
  svg("line", { x1: px(5), y1: py(0), x2: px(5), y2: py(10), class: "ik-map-axis" }, g);
  const cls = (t) => "ik-map-region" + (t.kind === "strong" || t.strong ? " ik-strong" : "");
  for (const t of L.top.texts) {
    svg("text", { x: t.x, y: y0 - GAP - 4 - t.row * LINE, "text-anchor": t.anchor, class: cls(t) }, g, t.text);
  }
  for (const t of L.bottom.texts) {
    svg("text", { x: t.x, y: y0 + S + GAP + 12 + t.row * LINE, "text-anchor": t.anchor, class: cls(t) }, g, t.text);
  }
  // The tips at the sides: their names turned along the square's edges, clear of any dot.
  for (const r of L.at("left")) {
    const x = x0 - GAP - 4, y = py(5);
    svg("text", { x, y, transform: `rotate(-90 ${x} ${y})`, "text-anchor": "middle", class: cls(r) }, g, r.label);
  }
  for (const r of L.at("right")) {
    const x = x0 + S + GAP + 4, y = py(5);
    svg("text", { x, y, transform: `rotate(90 ${x} ${y})`, "text-anchor": "middle", class: cls(r) }, g, r.label);
  }
  const xl = svg("text", { x: L.W / 2, y: L.below + 12, class: "ik-map-axislabel", "text-anchor": "middle" }, g);
  L.xRows.forEach((row, i) => svg("tspan", { x: L.W / 2, dy: i ? LINE : 0 }, xl, row));
  const mid = L.height / 2, cx = 16;
  svg("text", { x: cx, y: mid, class: "ik-map-axislabel", "text-anchor": "middle",
    transform: `rotate(-90 ${cx} ${mid})` }, g, L.yTitle);
}

// Each point's name beside it: right, left, above or below, the first that stays inside the
// area between the region names and covers no dot and no name placed before it.
function placeLabels(points, L, width) {
  const bounds = { x1: L.x0 - GAP + 2, x2: L.x0 + L.S + GAP - 2, y1: L.y0 - GAP + 2, y2: L.y0 + L.S + GAP - 2 };
  const dots = points.map((p) => ({ x1: p.x - p.r - 1, x2: p.x + p.r + 1, y1: p.y - p.r - 1, y2: p.y + p.r + 1 }));
  const placed = [];
  return points.map((p, i) => {
    const w = width(p.label, "name"), h = 14;
    const options = [
      { x: p.x + p.r + 4, y: p.y + 4, anchor: "start", box: { x1: p.x + p.r + 3, x2: p.x + p.r + 5 + w, y1: p.y - 7, y2: p.y + 7 } },
      { x: p.x - p.r - 4, y: p.y + 4, anchor: "end", box: { x1: p.x - p.r - 5 - w, x2: p.x - p.r - 3, y1: p.y - 7, y2: p.y + 7 } },
      { x: p.x, y: p.y - p.r - 6, anchor: "middle", box: { x1: p.x - w / 2 - 1, x2: p.x + w / 2 + 1, y1: p.y - p.r - 5 - h, y2: p.y - p.r - 3 } },
      { x: p.x, y: p.y + p.r + 15, anchor: "middle", box: { x1: p.x - w / 2 - 1, x2: p.x + w / 2 + 1, y1: p.y + p.r + 3, y2: p.y + p.r + 5 + h } },
    ];
    let best = null, bestCost = Infinity;
    for (const o of options) {
      const b = o.box;
      const outside = Math.max(0, bounds.x1 - b.x1) + Math.max(0, b.x2 - bounds.x2)
        + Math.max(0, bounds.y1 - b.y1) + Math.max(0, b.y2 - bounds.y2);
      const covered = dots.reduce((s, d, j) => s + (j === i ? 0 : overlap(b, d)), 0)
        + placed.reduce((s, q) => s + overlap(b, q), 0);
      const cost = outside * 1000 + covered;
      if (cost < bestCost) { best = o; bestCost = cost; }
      if (cost === 0) break;
    }
    placed.push(best.box);
    return best;
  });
}

// Where a new point goes: the middle if it is free, else the nearest free place, above or
// below before beside (names run sideways), at least two dots and a margin from every point.
function freeSpot(items, S) {
  const apart = Math.max(1.5, Math.ceil(((2 * R_MAX + 10) / S) * 20) / 2);
  const spots = [];
  for (let x = 1; x <= 9; x += 0.5) for (let y = 1; y <= 9; y += 0.5) spots.push([x, y]);
  const key = ([x, y]) => [Math.hypot(x - 5, y - 5), Math.abs(x - 5) > Math.abs(y - 5) ? 1 : 0, -y];
  spots.sort((a, b) => {
    const ka = key(a), kb = key(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
  const free = spots.find(([x, y]) => items.every((it) => Math.hypot(it.x - x, it.y - y) >= apart - 1e-9));
  return free || [5, 5];
}

function render({ model, el }) {
  const cfg = model.get("config");
  const uid = "ikmap-" + Math.random().toString(36).slice(2, 9);
  el.classList.add("ik-map");
  const help = html("p", { id: uid + "-help", class: "ik-map-help" }, el, cfg.help);
  const figure = svg("svg", { role: "group", "aria-labelledby": uid + "-title", "aria-describedby": help.id,
    class: "ik-map-svg" }, el);
  const title = svg("title", { id: uid + "-title" }, figure, cfg.title);
  const back = svg("g", { "aria-hidden": "true" }, figure);
  const points = svg("g", {}, figure);
  const live = html("p", { class: "ik-map-live", role: "status", "aria-live": "polite" }, el);

  // Adding a point: a name (and a size where the map has one), then the button.
  const form = html("form", { class: "ik-map-form", novalidate: "" }, el);
  html("label", { for: uid + "-name" }, form, cfg.name_label);
  const name = html("input", { id: uid + "-name", type: "text", maxlength: "60", autocomplete: "off" }, form);
  let size = null;
  if (cfg.size_label) {
    html("label", { for: uid + "-size" }, form, cfg.size_label);
    size = html("input", { id: uid + "-size", type: "number", min: "0", step: "any", inputmode: "decimal" }, form);
  }
  html("button", { type: "submit", class: "ik-map-add" }, form, cfg.add);

  // The points as a list: a table where there is room, cards on a phone (point_map.css
  // shows one of them by the widget's width). Words are never split inside.
  const list = html("div", { class: "ik-map-list" }, el);
  html("h3", { id: uid + "-list", class: "ik-map-listhead" }, list, cfg.list_caption);
  const table = html("table", { class: "ik-map-table", "aria-labelledby": uid + "-list" }, list);
  const head = html("tr", {}, html("thead", {}, table));
  for (const h of cfg.columns) html("th", { scope: "col" }, head, h);
  const body = html("tbody", {}, table);
  const cards = html("ul", { class: "ik-map-cards", "aria-labelledby": uid + "-list" }, list);

  let items = (model.get("items") || []).map((it) => ({ ...it }));
  let focusId = null;
  let justAdded = false;
  let L = null, drawnFor = 0, width = null;
  const num = numberFormat();

  function commit(next) {
    items = next;
    model.set("items", next.map((it) => ({ ...it })));
    model.save_changes();
  }

  const placeOf = (it) => (model.get("places") || {})[it.id] || "";
  function describe(it) {
    const text = fill(cfg.point_label, { name: it.name, x: num.format(it.x), y: num.format(it.y),
      size: it.size === undefined ? "" : num.format(it.size), where: placeOf(it) });
    return text.replace(/[,\s]+$/, "");  // before Python has named the place
  }

  function remover(it, parent, cls) {
    const button = html("button", { type: "button", class: cls, "aria-label": `${cfg.remove} ${it.name}` },
      parent, cfg.remove);
    button.addEventListener("click", () => {
      focusId = null;
      commit(items.filter((o) => o.id !== it.id));
      name.focus();
    });
  }

  // A card's own controls for where its point lies: the phone's way to place a point exactly
  // (a finger on a small map is not), named by the value and the point.
  const VALUES = Array.from({ length: 21 }, (_, i) => i / 2);
  function chooser(it, axis, label, card, headId) {
    const id = `${uid}-${it.id}-${axis}`;
    const box = html("div", { class: "ik-map-choose" }, card);
    html("label", { for: id, id: id + "-label" }, box, label);
    const select = html("select", { id, "data-key": `${it.id}:${axis}`,
      "aria-labelledby": `${id}-label ${headId}` }, box);
    for (const v of VALUES) {
      const option = html("option", { value: String(v) }, select, num.format(v));
      if (v === it[axis]) option.selected = true;
    }
    select.addEventListener("change", () => {
      const v = clamp(Number(select.value));
      focusId = it.id;
      commit(items.map((o) => (o.id === it.id ? { ...o, [axis]: v } : o)));
    });
  }

  function drawList() {
    // A card's control being used is drawn anew by the change it makes: the keyboard stays on it.
    const active = document.activeElement;
    const key = active && cards.contains(active) ? active.dataset.key : null;
    body.replaceChildren();
    cards.replaceChildren();
    list.hidden = items.length === 0;
    for (const it of items) {
      const row = html("tr", {}, body);
      html("th", { scope: "row" }, row, it.name);
      const cells = [num.format(it.x), num.format(it.y)];
      if (cfg.size_label) cells.push(num.format(it.size ?? 0));
      cells.push(placeOf(it));
      for (const c of cells) html("td", {}, row, c);
      remover(it, html("td", {}, row), "ik-map-remove");

      const card = html("li", { class: "ik-map-card" }, cards);
      const headId = `${uid}-${it.id}-name`;
      html("h4", { id: headId }, card, it.name);
      // A value stays on the line of its name ("Kostnad 40", never "Kostnad" then "40").
      html("p", { class: "ik-map-values" }, card, fill((cfg.card_values || "").replace(/ \{/g, "\u00a0{"), {
        x: num.format(it.x), y: num.format(it.y), size: num.format(it.size ?? 0) }));
      if (placeOf(it)) html("p", {}, card, fill(cfg.card_place || "{where}", { where: placeOf(it) }));
      const choose = html("div", { class: "ik-map-chooserow" }, card);
      chooser(it, "x", cfg.columns[1], choose, headId);
      chooser(it, "y", cfg.columns[2], choose, headId);
      remover(it, card, "ik-map-remove ik-map-wide");
    }
    const again = key && cards.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }

  function drawPoints() {
    // Keep the keyboard where it was: refocus a point only if a point had focus (it is being
    // redrawn) or one was just added; never pull focus away from the form.
    const hadFocus = points.contains(document.activeElement) || justAdded;
    justAdded = false;
    points.replaceChildren();
    if (!L) return;
    const biggest = Math.max(1, ...items.map((it) => it.size || 0));
    const shown = items.map((it) => ({ it, x: L.px(it.x), y: L.py(it.y), label: shortName(it.name),
      r: cfg.size_label ? R_MIN + (R_MAX - R_MIN) * Math.sqrt(Math.max(0, it.size || 0) / biggest) : R_PLAIN }));
    const labels = placeLabels(shown, L, width);
    shown.forEach((p, i) => {
      const g = svg("g", { class: "ik-map-point", tabindex: "0", role: "button", "data-id": p.it.id,
        "aria-roledescription": cfg.roledescription, "aria-label": describe(p.it),
        transform: `translate(${p.x} ${p.y})` }, points);
      svg("circle", { r: Math.max(HIT, p.r), class: "ik-map-hit" }, g);
      svg("circle", { r: p.r, class: "ik-map-dot" }, g);
      const l = labels[i];
      svg("text", { x: l.x - p.x, y: l.y - p.y, "text-anchor": l.anchor, class: "ik-map-name" }, g, p.label);
      g.addEventListener("keydown", (ev) => onKey(ev, p.it.id));
      g.addEventListener("pointerdown", (ev) => onDown(ev, p.it.id, g));
    });
    if (focusId && hadFocus) {
      const again = points.querySelector(`[data-id="${CSS.escape(focusId)}"]`);
      if (again && document.activeElement !== again) again.focus();
    }
  }

  // The whole drawing for the widget's width; nothing while it has none (not yet on the page).
  function drawAll() {
    const w = Math.min(WIDEST, Math.round(el.clientWidth || 0));
    if (w <= 0) return;
    drawnFor = w;
    width = width || measurer(el);
    L = layout(cfg, w, width);
    figure.setAttribute("viewBox", `0 0 ${w} ${Math.ceil(L.height)}`);
    figure.style.maxWidth = `${w}px`;
    back.replaceChildren();
    background(back, L);
    drawPoints();
  }

  function draw() {
    drawPoints();
    drawList();
  }

  function move(id, dx, dy) {
    commit(items.map((it) => (it.id === id ? { ...it, x: clamp(it.x + dx), y: clamp(it.y + dy) } : it)));
  }

  function onKey(ev, id) {
    const step = ev.shiftKey ? BIG_STEP : STEP;
    const delta = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[ev.key];
    if (!delta) return;
    ev.preventDefault();
    focusId = id;
    move(id, delta[0], delta[1]);
  }

  function toData(ev) {
    const box = figure.getBoundingClientRect();
    const k = L.W / box.width;
    const sx = (ev.clientX - box.left) * k, sy = (ev.clientY - box.top) * k;
    return [clamp(((sx - L.x0) / L.S) * 10), clamp((1 - (sy - L.y0) / L.S) * 10)];
  }

  // A redraw replaces the dragged point and ends the drag: while one lasts (the kernel's echo
  // of the last change can arrive then, late on a slow phone connection), redraws wait for it.
  let dragging = false;
  let redraw = false;
  const drawSoon = () => { if (dragging) redraw = true; else draw(); };

  function onDown(ev, id, g) {
    if (!L) return;
    ev.preventDefault();
    focusId = id;
    dragging = true;
    g.focus();
    g.setPointerCapture(ev.pointerId);
    let last = null;
    const onMove = (e) => {
      last = toData(e);
      g.setAttribute("transform", `translate(${L.px(last[0])} ${L.py(last[1])})`);
    };
    const onUp = () => {
      g.removeEventListener("pointermove", onMove);
      g.removeEventListener("pointerup", onUp);
      g.removeEventListener("pointercancel", onUp);
      dragging = false;
      if (last) commit(items.map((it) => (it.id === id ? { ...it, x: last[0], y: last[1] } : it)));
      else if (redraw) draw();
      redraw = false;
    };
    g.addEventListener("pointermove", onMove);
    g.addEventListener("pointerup", onUp);
    g.addEventListener("pointercancel", onUp);
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = name.value.trim();
    const amount = size ? Number(size.value) : null;
    if (!text) { live.textContent = cfg.need_name; name.focus(); return; }
    if (size && (size.value === "" || !Number.isFinite(amount) || amount < 0)) {
      live.textContent = cfg.need_size; size.focus(); return;
    }
    if (items.length >= cfg.max_items) { live.textContent = cfg.too_many; return; }
    const id = "p" + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
    const [x, y] = freeSpot(items, L ? L.S : 300);
    const it = { id, name: text, x, y };
    if (size) it.size = amount;
    focusId = id;
    justAdded = true;
    name.value = "";
    if (size) size.value = "";
    commit([...items, it]);
  });

  const onItems = () => { items = (model.get("items") || []).map((it) => ({ ...it })); drawSoon(); };
  const onStatus = () => { const s = model.get("status"); if (live.textContent !== s) live.textContent = s; };
  model.on("change:items", onItems);
  model.on("change:places", drawSoon);
  model.on("change:status", onStatus);
  drawList();
  drawAll();
  // A new width (the phone turned, the window resized) is a new layout; anything else is not.
  const watcher = window.ResizeObserver ? new ResizeObserver(() => {
    const w = Math.min(WIDEST, Math.round(el.clientWidth || 0));
    if (w > 0 && Math.abs(w - drawnFor) > 4) drawAll();
  }) : null;
  if (watcher) watcher.observe(el);
  return () => {
    if (watcher) watcher.disconnect();
    model.off("change:items", onItems);
    model.off("change:places", drawSoon);
    model.off("change:status", onStatus);
  };
}

export default { render };
