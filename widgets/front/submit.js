// Handing in the reflections as one transaction. The click sends the texts on the screen with it
// and the kernel hands in exactly those; a click is never queued for later (a socket that is not
// open, or a browser offline, refuses at once and says why), so nothing is handed in that the
// leader did not see go. Every word comes from the model (course_config) and is set as text.
//
// innokraft-saving.js says whether the kernel can be reached (window.innokraftConnection) and
// fires "innokraft:connection" when that changes.
const ACK_MS = 8000;

function connection() {
  return window.innokraftConnection ? window.innokraftConnection() : { online: navigator.onLine, lost: false };
}

function render({ model, el: host }) {
  const t = model.get("texts") || {};
  const wrap = document.createElement("div");
  wrap.className = "innokraft-submit-box";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "innokraft-button innokraft-submit";
  button.textContent = t.submit || "";
  const reason = document.createElement("p");
  reason.className = "innokraft-submit-reason";
  reason.id = `ik-submit-reason-${model.model_id || Math.random().toString(36).slice(2)}`;
  reason.setAttribute("role", "status");
  const confirm = document.createElement("div");
  confirm.className = "innokraft-submit-confirm";
  confirm.hidden = true;
  wrap.append(button, reason, confirm);
  host.replaceChildren(wrap);

  let pending = null; // {attempt, timer}

  function say(text) {
    if (reason.textContent !== text) reason.textContent = text;
    if (text) button.setAttribute("aria-describedby", reason.id);
    else button.removeAttribute("aria-describedby");
  }

  function blocked() {
    const c = connection();
    if (!c.online) return t.offline || "";
    if (c.lost) return t.lost || "";
    return "";
  }

  function refresh() {
    const why = model.get("disabled") ? "" : blocked();
    const off = model.get("disabled") || Boolean(why) || Boolean(pending);
    if (button.disabled !== off) button.disabled = off;
    if (!pending) say(why);
    if (why && !confirm.hidden) confirm.hidden = true;
  }

  // The texts as the leader sees them, by the answer key of each field.
  function texts() {
    const box = host.closest(".innokraft-reflections") || document;
    const out = {};
    box.querySelectorAll('[class*="ik-key-"]').forEach((el) => {
      const cls = [...el.classList].find((c) => c.startsWith("ik-key-"));
      const field = el.querySelector("textarea");
      if (cls && field) out[cls.slice(7)] = field.value;
    });
    return out;
  }

  function send(confirmed) {
    const why = blocked();
    if (why) { refresh(); return; }
    const attempt = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const timer = window.setTimeout(() => {
      if (!pending || pending.attempt !== attempt) return;
      pending = null;
      say(t.no_answer || "");
      refresh();
    }, ACK_MS);
    pending = { attempt, timer };
    confirm.hidden = true;
    say(t.sending || "");
    refresh();
    model.send({ event: "submit", attempt, texts: texts(), confirmed });
  }

  function ask(message) {
    confirm.replaceChildren();
    const p = document.createElement("p");
    p.textContent = message;
    const go = document.createElement("button");
    go.type = "button";
    go.className = "innokraft-button innokraft-submit-anyway";
    go.textContent = t.submit_anyway || "";
    go.addEventListener("click", () => send(true));
    const back = document.createElement("button");
    back.type = "button";
    back.className = "innokraft-button innokraft-secondary";
    back.textContent = t.keep_writing || "";
    back.addEventListener("click", () => {
      confirm.hidden = true;
      const field = (host.closest(".innokraft-reflections") || document).querySelector("textarea");
      if (field) field.focus();
    });
    confirm.append(p, go, back);
    confirm.hidden = false;
    go.focus();
  }

  button.addEventListener("click", () => send(false));
  model.on("msg:custom", (msg) => {
    if (!msg || !pending || msg.attempt !== pending.attempt) return;
    window.clearTimeout(pending.timer);
    pending = null;
    say("");
    refresh();
    if (msg.event === "short") ask(msg.message || "");
  });
  model.on("change:disabled", refresh);
  window.addEventListener("online", refresh);
  window.addEventListener("offline", refresh);
  document.addEventListener("innokraft:connection", refresh);
  refresh();
  return () => {
    window.removeEventListener("online", refresh);
    window.removeEventListener("offline", refresh);
    document.removeEventListener("innokraft:connection", refresh);
  };
}

export default { render };
