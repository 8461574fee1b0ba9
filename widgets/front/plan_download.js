// The ninety-day plan to take away (widgets/plan.py): a text file the browser makes and saves
// itself (a Blob behind a real download link: no server route, nothing leaves the page), and a
// button that prints the plan alone (plan_download.css), which the print dialog can save as a
// PDF. Every word comes from the model and is set as text, never as markup: the plan is the
// leader's own writing.
function el(tag, attrs, parent, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

const PRINTING = "innokraft-printing-plan";

function render({ model, el: host }) {
  const wrap = el("div", { class: "innokraft-plan-download" }, host);
  const actions = el("div", { class: "innokraft-plan-actions" }, wrap);
  const link = el("a", { class: "innokraft-primary innokraft-plan-file" }, actions);
  const print = el("button", { type: "button", class: "innokraft-plan-print" }, actions);
  const hint = el("p", { class: "innokraft-plan-hint" }, wrap);
  // Shown only on paper: on the screen the plan is the fields above.
  const sheet = el("section", { class: "innokraft-plan-sheet" }, wrap);
  let url = null;

  const draw = () => {
    const p = model.get("plan") || {};
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([p.text || ""], { type: "text/plain;charset=utf-8" }));
    link.href = url;
    link.setAttribute("download", p.file_name || "");
    link.textContent = p.download_label || "";
    print.textContent = p.print_label || "";
    hint.textContent = p.hint || "";
    sheet.replaceChildren();
    el("h2", {}, sheet, p.title || "");
    for (const line of p.lines || []) el("p", {}, sheet, line);
    for (const s of p.sections || []) {
      el("h3", {}, sheet, s.label || "");
      el("p", { class: "innokraft-plan-value" }, sheet, (s.text || "").trim() || p.empty || "");
    }
  };

  print.addEventListener("click", () => {
    // Only this print shows the plan alone: printing the page from the browser's menu prints it all.
    document.body.classList.add(PRINTING);
    window.addEventListener("afterprint", () => document.body.classList.remove(PRINTING), { once: true });
    window.print();
  });
  draw();
  model.on("change:plan", draw);
  return () => {
    model.off("change:plan", draw);
    if (url) URL.revokeObjectURL(url);
  };
}

export default { render };
