// A one-page worksheet and a button that prints it. Every word comes from the model
// (course_config) and is set as text. The print stylesheet shows only this sheet.
function el(tag, attrs, parent, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function render({ model, el: host }) {
  const draw = () => {
    const s = model.get("sheet") || {};
    host.replaceChildren();
    const wrap = el("div", { class: "innokraft-print-sheet" }, host);
    const button = el("button", { type: "button", class: "innokraft-print-button" }, wrap, s.print_label || "");
    button.addEventListener("click", () => window.print());
    // tabindex: where the table is wider than the screen, keyboard users can still scroll it.
    const sheet = el("section", { class: "innokraft-sheet", "aria-label": s.title || "", tabindex: "0" }, wrap);
    el("h3", {}, sheet, s.title || "");
    el("p", {}, sheet, s.intro || "");
    const table = el("table", {}, sheet);
    const head = el("tr", {}, el("thead", {}, table));
    el("th", { scope: "col" }, head, s.row_header || "");
    for (const c of s.columns || []) el("th", { scope: "col" }, head, c);
    const body = el("tbody", {}, table);
    for (const r of s.rows || []) {
      const tr = el("tr", {}, body);
      el("th", { scope: "row" }, tr, r);
      for (const c of s.columns || []) el("td", { "aria-label": `${r}: ${c}` }, tr, "☐");
    }
    el("p", { class: "innokraft-sheet-notes" }, sheet, s.notes || "");
    for (let i = 0; i < (s.lines || 0); i++) el("div", { class: "innokraft-sheet-line" }, sheet);
    el("p", { class: "innokraft-sheet-footer" }, sheet, s.footer || "");
  };
  draw();
  model.on("change:sheet", draw);
}

export default { render };
