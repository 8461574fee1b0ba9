// The mandate matrix: for each decision about the leader's initiative, the level that decides
// today and the level that ought to, as two groups of native radio buttons (one Tab stop each,
// the arrow keys move and choose, a click or a tap chooses). Every word comes from the model's
// `config` (course_config) and is set as text, never as markup. Python validates each change
// and computes what it means; this side only shows and collects.
function html(tag, attrs, parent, text) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}

let counter = 0;

function render({ model, el }) {
  const cfg = model.get("config") || {};
  const uid = `ik-mandate-${++counter}`;
  el.classList.add("ik-mandate");
  const inputs = [];
  const kinds = [["today", cfg.today_label, cfg.today_levels], ["should", cfg.should_label, cfg.should_levels]];
  (cfg.decisions || []).forEach((d, n) => {
    const box = html("fieldset", { class: "ik-mandate-decision" }, el);
    html("legend", { class: "ik-mandate-name" }, box, `${n + 1}. ${d.label}`);
    for (const [kind, label, levels] of kinds) {
      const group = html("fieldset", { class: `ik-mandate-group ik-mandate-${kind}`, "data-kind": kind,
        "data-decision": d.id }, box);
      html("legend", { class: "ik-mandate-kind" }, group, label);
      const row = html("div", { class: "ik-mandate-row" }, group);
      for (const level of levels || []) {
        const cell = html("label", { class: "ik-mandate-cell", "data-level": level.id }, row);
        const input = html("input", { type: "radio", name: `${uid}-${d.id}-${kind}`, value: level.id }, cell);
        html("span", { class: "ik-mandate-mark", "aria-hidden": "true" }, cell);
        html("span", { class: "ik-mandate-level" }, cell, level.label);
        input.dataset.decision = d.id;
        input.dataset.kind = kind;
        input.addEventListener("change", () => {
          if (!input.checked) return;
          const now = model.get("value") || {};
          const next = { today: { ...(now.today || {}) }, should: { ...(now.should || {}) } };
          next[kind][d.id] = level.id;
          model.set("value", next);
          model.save_changes();
        });
        inputs.push(input);
      }
    }
  });

  // The kernel's value (a restored answer, or a change put back) shown without moving the focus.
  function show() {
    const v = model.get("value") || {};
    for (const input of inputs) {
      const chosen = (v[input.dataset.kind] || {})[input.dataset.decision];
      const on = chosen === input.value;
      if (input.checked !== on) input.checked = on;
    }
  }
  model.on("change:value", show);
  show();
  return () => model.off("change:value", show);
}

export default { render };
