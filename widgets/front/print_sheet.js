// A one-page worksheet and a button that prints it. Every word comes from the model
// (course_config) and is set as text. The print stylesheet shows only this sheet.
const NS = "http://www.w3.org/2000/svg";

function el(tag, attrs, parent, text, ns) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

// A blank facets diamond (labels left, top, right, bottom) or a 2 × 2 grid (labels in its
// corners) for the team to draw on; decorative for a screen reader, the intro explains it.
function drawing(parent, d) {
  const root = el("svg", { viewBox: "0 0 300 262", "aria-hidden": "true", class: "innokraft-sheet-drawing" },
                  parent, undefined, NS);
  const line = { stroke: "#000", "stroke-width": 2, fill: "none" };
  if (d.kind === "diamond") el("polygon", { points: "20,130 150,20 280,130 150,240", ...line }, root, undefined, NS);
  else el("rect", { x: 20, y: 20, width: 260, height: 220, ...line }, root, undefined, NS);
  for (const [x1, y1, x2, y2] of [[150, 20, 150, 240], [20, 130, 280, 130]]) {
    el("line", { x1, y1, x2, y2, stroke: "#666", "stroke-dasharray": "4 3" }, root, undefined, NS);
  }
  const at = d.kind === "diamond"
    ? [[24, 122, "start"], [150, 14, "middle"], [276, 122, "end"], [150, 256, "middle"]]
    : [[85, 38, "middle"], [215, 38, "middle"], [85, 232, "middle"], [215, 232, "middle"]];
  (d.labels || []).forEach((label, i) => el("text", { x: at[i][0], y: at[i][1], "text-anchor": at[i][2],
                                                       "font-size": 12 }, root, label, NS));
}

function render({ model, el: host }) {
  const draw = () => {
    const s = model.get("sheet") || {};
    host.replaceChildren();
    const wrap = el("div", { class: "innokraft-print-sheet" }, host);
    const button = el("button", { type: "button", class: "innokraft-print-button" }, wrap, s.print_label || "");
    button.addEventListener("click", () => window.print());
    if (s.hint) el("p", { class: "innokraft-sheet-hint" }, wrap, s.hint);
    // tabindex: where the table is wider than the screen, keyboard users can still scroll it.
    const sheet = el("section", { class: "innokraft-sheet", "aria-label": s.title || "", tabindex: "0" }, wrap);
    el("h3", {}, sheet, s.title || "");
    el("p", {}, sheet, s.intro || "");
    if (s.drawing) drawing(sheet, s.drawing);
    const table = el("table", { class: s.rows ? "innokraft-sheet-rate" : "innokraft-sheet-fill" }, sheet);
    const head = el("tr", {}, el("thead", {}, table));
    if (s.rows) el("th", { scope: "col" }, head, s.row_header || "");
    for (const c of s.columns || []) el("th", { scope: "col" }, head, c);
    const body = el("tbody", {}, table);
    for (const r of s.rows || []) {
      const tr = el("tr", {}, body);
      el("th", { scope: "row" }, tr, r);
      for (const c of s.columns || []) el("td", { "aria-label": `${r}: ${c}` }, tr, "☐");
    }
    for (let i = 0; i < (s.blank_rows || 0); i++) {
      const tr = el("tr", {}, body);
      for (const _ of s.columns || []) el("td", {}, tr);
    }
    if (s.questions && s.questions.length) {
      const list = el("ul", { class: "innokraft-sheet-questions" }, sheet);
      for (const q of s.questions) el("li", {}, list, q);
    }
    if (s.notes) el("p", { class: "innokraft-sheet-notes" }, sheet, s.notes);
    for (let i = 0; i < (s.lines || 0); i++) el("div", { class: "innokraft-sheet-line" }, sheet);
    el("p", { class: "innokraft-sheet-footer" }, sheet, s.footer || "");
  };
  draw();
  model.on("change:sheet", draw);
}

export default { render };
