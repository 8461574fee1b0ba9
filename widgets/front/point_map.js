// A map of named points that a leader drags: by mouse, touch or keyboard alone.
// Used by the portfolio mapper (OPSI diamond) and the assumption map (quadrants).
// All words come from the model's `config` (course_config); learner names are set as
// text, never as markup. Python validates every change and answers with `status`,
// which a polite live region announces.
const NS = "http://www.w3.org/2000/svg";
const SIZE = 400, PAD = 44, SPAN = SIZE - 2 * PAD;
// Room under the map for the x axis's words, apart from the labels at the map's lower edge.
const BELOW = 28, HEIGHT = SIZE + BELOW;
const STEP = 0.5, BIG_STEP = 2;

function svg(tag, attrs, parent) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
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
const px = (x) => PAD + (x / 10) * SPAN;
const py = (y) => PAD + (1 - y / 10) * SPAN;
const clamp = (v) => Math.max(0, Math.min(10, Math.round(v * 2) / 2));
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

function background(g, cfg) {
  if (cfg.background === "diamond") {
    svg("polygon", { points: `${px(0)},${py(5)} ${px(5)},${py(10)} ${px(10)},${py(5)} ${px(5)},${py(0)}`,
      class: "ik-map-area" }, g);
  } else {
    svg("rect", { x: px(0), y: py(10), width: SPAN, height: SPAN, class: "ik-map-area" }, g);
    svg("rect", { x: px(0), y: py(10), width: SPAN / 2, height: SPAN / 2, class: "ik-map-hot" }, g);
  }
  svg("line", { x1: px(0), y1: py(5), x2: px(10), y2: py(5), class: "ik-map-axis" }, g);
  svg("line", { x1: px(5), y1: py(0), x2: px(5), y2: py(10), class: "ik-map-axis" }, g);
  for (const r of cfg.regions || []) {
    const t = svg("text", { x: px(r.x), y: py(r.y), class: "ik-map-region" + (r.strong ? " ik-strong" : ""),
      "text-anchor": r.anchor || "middle" }, g);
    // A label of several words gets a line each (centred ones only: those at an edge keep
    // theirs), so a phone's larger text stays clear of its neighbours and the axes.
    const words = (r.anchor || "middle") === "middle" ? r.label.split(" ") : [r.label];
    words.forEach((word, i) => {
      const line = svg("tspan", { x: px(r.x), dy: i ? "1.15em" : `${-(words.length - 1) * 0.575}em` }, t);
      line.textContent = word;
    });
  }
  const xl = svg("text", { x: SIZE / 2, y: HEIGHT - 8, class: "ik-map-axislabel", "text-anchor": "middle" }, g);
  xl.textContent = `${cfg.x_low} ← ${cfg.x_label} → ${cfg.x_high}`;
  const yl = svg("text", { x: 12, y: SIZE / 2, class: "ik-map-axislabel", "text-anchor": "middle",
    transform: `rotate(-90 12 ${SIZE / 2})` }, g);
  yl.textContent = `${cfg.y_low} ← ${cfg.y_label} → ${cfg.y_high}`;
}

function render({ model, el }) {
  const cfg = model.get("config");
  const uid = "ikmap-" + Math.random().toString(36).slice(2, 9);
  el.classList.add("ik-map");
  const help = html("p", { id: uid + "-help", class: "ik-map-help" }, el, cfg.help);
  const figure = svg("svg", { viewBox: `0 0 ${SIZE} ${HEIGHT}`, role: "group",
    "aria-labelledby": uid + "-title", "aria-describedby": help.id, class: "ik-map-svg" }, el);
  const title = svg("title", { id: uid + "-title" }, figure);
  title.textContent = cfg.title;
  background(svg("g", { "aria-hidden": "true" }, figure), cfg);
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

  const table = html("table", { class: "ik-map-table" }, el);
  html("caption", {}, table, cfg.list_caption);
  const head = html("tr", {}, html("thead", {}, table));
  for (const h of cfg.columns) html("th", { scope: "col" }, head, h);
  const body = html("tbody", {}, table);

  let items = (model.get("items") || []).map((it) => ({ ...it }));
  let focusId = null;
  let justAdded = false;

  function commit(next) {
    items = next;
    model.set("items", next.map((it) => ({ ...it })));
    model.save_changes();
  }

  function describe(it) {
    const text = fill(cfg.point_label, { name: it.name, x: it.x, y: it.y, size: it.size ?? "",
      where: (model.get("places") || {})[it.id] || "" });
    return text.replace(/[,\s]+$/, "");  // before Python has named the place
  }

  function draw() {
    // Keep the keyboard where it was: refocus a point only if a point had focus (it is being
    // redrawn) or one was just added; never pull focus away from the form.
    const hadFocus = points.contains(document.activeElement) || justAdded;
    justAdded = false;
    points.replaceChildren();
    body.replaceChildren();
    const biggest = Math.max(1, ...items.map((it) => it.size || 0));
    items.forEach((it, i) => {
      const r = cfg.size_label ? 7 + 17 * Math.sqrt((it.size || 0) / biggest) : 9;
      const g = svg("g", { class: "ik-map-point", tabindex: "0", role: "button", "data-id": it.id,
        "aria-roledescription": cfg.roledescription, "aria-label": describe(it),
        transform: `translate(${px(it.x)} ${py(it.y)})` }, points);
      svg("circle", { r, class: "ik-map-dot" }, g);
      const label = svg("text", { x: r + 4, y: 4, class: "ik-map-name" }, g);
      label.textContent = it.name.length > 22 ? it.name.slice(0, 21) + "…" : it.name;
      g.addEventListener("keydown", (ev) => onKey(ev, it.id));
      g.addEventListener("pointerdown", (ev) => onDown(ev, it.id, g));

      const row = html("tr", {}, body);
      html("th", { scope: "row" }, row, it.name);
      const cells = [it.x, it.y];
      if (cfg.size_label) cells.push(it.size);
      cells.push((model.get("places") || {})[it.id] || "");
      for (const c of cells) html("td", {}, row, c);
      const remove = html("button", { type: "button", class: "ik-map-remove",
        "aria-label": `${cfg.remove} ${it.name}` }, html("td", {}, row), cfg.remove);
      remove.addEventListener("click", () => {
        focusId = null;
        commit(items.filter((o) => o.id !== it.id));
        name.focus();
      });
    });
    if (focusId && hadFocus) {
      const again = points.querySelector(`[data-id="${CSS.escape(focusId)}"]`);
      if (again && document.activeElement !== again) again.focus();
    }
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
    const sx = ((ev.clientX - box.left) / box.width) * SIZE;
    const sy = ((ev.clientY - box.top) / box.height) * HEIGHT;
    return [clamp(((sx - PAD) / SPAN) * 10), clamp((1 - (sy - PAD) / SPAN) * 10)];
  }

  // A redraw replaces the dragged point and ends the drag: while one lasts (the kernel's echo
  // of the last change can arrive then, late on a slow phone connection), redraws wait for it.
  let dragging = false;
  let redraw = false;
  const drawSoon = () => { if (dragging) redraw = true; else draw(); };

  function onDown(ev, id, g) {
    ev.preventDefault();
    focusId = id;
    dragging = true;
    g.focus();
    g.setPointerCapture(ev.pointerId);
    let last = null;
    const onMove = (e) => {
      last = toData(e);
      g.setAttribute("transform", `translate(${px(last[0])} ${py(last[1])})`);
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
    const it = { id, name: text, x: 5, y: 5 };
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
  draw();
  // The drawing scales with the screen; its words must not: below SIZE px wide, text grows in
  // drawing units by as much as the drawing shrinks, so it stays at its CSS size (12 px and up).
  const fit = () => {
    const w = figure.getBoundingClientRect().width;
    const k = (w > 0 ? Math.max(1, SIZE / w) : 1).toFixed(2);
    if (figure.style.getPropertyValue("--ik-map-k") !== k) figure.style.setProperty("--ik-map-k", k);
  };
  const watcher = window.ResizeObserver ? new ResizeObserver(fit) : null;
  if (watcher) watcher.observe(figure);
  return () => {
    if (watcher) watcher.disconnect();
    model.off("change:items", onItems);
    model.off("change:places", drawSoon);
    model.off("change:status", onStatus);
  };
}

export default { render };
