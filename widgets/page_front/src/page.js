// The course page's widget front-end. Voilà's own front-end is a JupyterLab application:
// ~100 files, 5 MB of JavaScript, compiled on every visit before a widget shows. A course page
// needs much less: its text is already HTML (the template writes it), so this bundle only
// connects to the page's kernel, loads the widget models and draws each widget where the
// kernel displayed it.
import * as base from "@jupyter-widgets/base";
import { ManagerBase, base64ToBuffer } from "@jupyter-widgets/base-manager";
import * as controls from "@jupyter-widgets/controls";
import { KernelConnection } from "@jupyterlab/services/lib/kernel/default";
import { ServerConnection } from "@jupyterlab/services/lib/serverconnection";
import { Widget } from "@lumino/widgets";
import anywidget from "anywidget-amd";

import "@jupyter-widgets/base/css/index.css";
import "@jupyter-widgets/controls/css/widgets-base.css";

const WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";
const WIDGET_STATE = "application/vnd.jupyter.widget-state+json";
const anywidgetModule = anywidget(base);

// A question's options as one radio group, built so as the view draws them (not decorated
// afterwards): the box is a radiogroup named by the question, and its inputs share a name, so
// the group is one tab stop and the arrow keys move inside it. ipywidgets draws neither, so a
// screen reader tabbing into an option heard no question; and its adjustPadding's inline margins
// put a gap above each answer's feedback instead of below it.
class CourseRadioButtonsView extends controls.RadioButtonsView {
  render() {
    super.render();
    const name = `ik-radio-${this.model.model_id}`;
    this.label.id = `${name}-label`;
    this.container.setAttribute("role", "radiogroup");
    this.container.setAttribute("aria-labelledby", this.label.id);
    this.groupName = name;
    this.nameInputs();
  }

  update(options) {
    const result = super.update(options);
    if (this.groupName) this.nameInputs();
    return result;
  }

  nameInputs() {
    this.container.querySelectorAll('input[type="radio"]').forEach((input) => {
      if (input.name !== this.groupName) input.name = this.groupName;
    });
  }

  adjustPadding() {}
}

// A slider's readout as a reader of the page's language writes numbers ("1,35" and "5 000" in
// Swedish, with a real minus): ipywidgets formats it with d3 in English ("1.35", "5000"). A number
// typed into the readout is read the same way (a comma or a point, spaces between thousands).
const readoutFormats = new Map();

function readoutFormat(decimals) {
  const lang = document.documentElement.lang || "en";
  const key = `${lang}:${decimals}`;
  if (!readoutFormats.has(key)) {
    readoutFormats.set(key, new Intl.NumberFormat(lang, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }));
  }
  return readoutFormats.get(key);
}

function readoutDecimals(model) {
  const found = /\.(\d+)f$/.exec(model.get("readout_format") || "");
  return found ? Number(found[1]) : 0;
}

// The page's language says what a comma is: the decimal mark in Swedish, between thousands in English.
function readNumber(text) {
  const decimalComma = readoutFormat(1).format(0.5).includes(",");
  let plain = String(text).replace(/[\s\u00a0\u202f]/g, "").replace("\u2212", "-");
  plain = decimalComma ? plain.replace(",", ".") : plain.replace(/,/g, "");
  return parseFloat(plain);
}

class CourseIntSliderView extends controls.IntSliderView {
  valueToString(value) {
    return readoutFormat(0).format(value);
  }

  stringToValue(text) {
    return Math.round(readNumber(text));
  }
}

class CourseFloatSliderView extends controls.FloatSliderView {
  valueToString(value) {
    return readoutFormat(readoutDecimals(this.model)).format(value);
  }

  stringToValue(text) {
    return readNumber(text);
  }
}

// A folded part the leader has opened (a table under a figure) stays open when the kernel sends the
// part new content as they answer: innerHTML would close it under their eyes.
class CourseHTMLView extends controls.HTMLView {
  update() {
    const open = this.content
      ? new Set([...this.content.querySelectorAll("details[open] > summary")].map((s) => s.textContent))
      : new Set();
    const result = super.update();
    if (open.size) {
      for (const summary of this.content.querySelectorAll("details > summary")) {
        if (open.has(summary.textContent)) summary.parentElement.open = true;
      }
    }
    return result;
  }
}

const MODULES = {
  "@jupyter-widgets/base": base,
  "@jupyter-widgets/controls": {
    ...controls,
    RadioButtonsView: CourseRadioButtonsView,
    HTMLView: CourseHTMLView,
    IntSliderView: CourseIntSliderView,
    FloatSliderView: CourseFloatSliderView,
  },
  anywidget: anywidgetModule,
};

// While the kernel is busy with a control's change, ipywidgets holds the control's next change
// back and sends it once the kernel is idle again; a button's click (a message of its own) went
// out at once and could overtake it. "40" typed and revealed quickly was revealed as 4, an answer
// moved on and checked was checked as the one before: a first attempt that is not what the leader
// saw. So before any widget message leaves the page, the changes held back leave first (the
// kernel takes a connection's messages in the order they were sent).
const pageModels = new Set();

function sendHeld() {
  for (const model of pageModels) {
    if (model._msg_buffer === null || !model.comm_live) continue;
    const msgId = model.send_sync_message(model._msg_buffer, model._msg_buffer_callbacks);
    model.rememberLastUpdateFor(msgId);
    model._msg_buffer = null;
    model._msg_buffer_callbacks = null;
  }
}

const sendMessage = base.WidgetModel.prototype.send;
base.WidgetModel.prototype.send = function send(...args) {
  sendHeld();
  return sendMessage.apply(this, args);
};

class PageWidgetManager extends ManagerBase {
  constructor(kernel) {
    super();
    this.kernel = kernel;
    this.comm_target_name = "jupyter.widget";
    // Widgets the kernel makes later (a step that appears after a button) arrive as comm opens.
    kernel.registerCommTarget(this.comm_target_name, (comm, msg) => {
      this.handle_comm_open(new base.shims.services.Comm(comm), msg);
    });
  }

  async loadClass(className, moduleName) {
    const module = MODULES[moduleName];
    if (!module || !module[className]) {
      throw new Error(`No widget class ${moduleName}.${className}`);
    }
    return module[className];
  }

  async _create_comm(targetName, modelId, data, metadata, buffers) {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) comm.open(data, metadata, buffers);
    return new base.shims.services.Comm(comm);
  }

  // Descriptions marked as HTML are shown as text: the course marks none, and this keeps
  // sanitize-html out of the bundle (src/no-sanitize.js).
  inline_sanitize(source) {
    const text = document.createElement("span");
    text.textContent = String(source);
    return text.innerHTML;
  }

  register_model(modelId, modelPromise) {
    super.register_model(modelId, modelPromise);
    modelPromise.then((model) => {
      pageModels.add(model);
      model.once("comm:close", () => pageModels.delete(model));
    }).catch(() => {});
  }

  async _get_comm_info() {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === "ok" ? reply.content.comms : {};
  }

  load() {
    return this._loadFromKernel();
  }

  // The models from the state the kernel's last cell wrote into the page (WIDGET_STATE). Each
  // comm is attached, not opened, since the kernel has it already: what _loadFromKernel does
  // with the state it asks for, without waiting for the connection and the answer. Every comm
  // is made before the first model, so a model's children are registered before it needs them.
  loadEmbedded(states) {
    const ids = Object.keys(states);
    const comms = ids.map((id) => new base.shims.services.Comm(this.kernel.createComm(this.comm_target_name, id)));
    return Promise.all(ids.map((id, i) => {
      const { model_name, model_module, model_module_version, state, buffers } = states[id];
      if (buffers) {
        base.put_buffers(state, buffers.map((b) => b.path), buffers.map((b) => base64ToBuffer(b.data)));
      }
      const options = { model_name, model_module, model_module_version, model_id: id, comm: comms[i] };
      return this.new_model(options, state).catch((e) => console.error(e));
    }));
  }
}


// Voilà's settings (#jupyter-config-data) hold the page's kernel.
function settings() {
  const element = document.getElementById("jupyter-config-data");
  if (!element) return null;
  const config = JSON.parse(element.textContent);
  if (!config.kernelId) return null;
  const baseUrl = new URL(config.baseUrl || "/", window.location.href).href;
  return {
    kernelId: config.kernelId,
    server: ServerConnection.makeSettings({
      baseUrl,
      wsUrl: baseUrl.replace(/^http/, "ws"),
      appendToken: false,
      // The page's saving watch (innokraft-saving.js, run before this) wraps the WebSocket.
      WebSocket: window.WebSocket,
    }),
  };
}

// Every output the template left as JSON (course text it already wrote as HTML), and the
// widgets' state if the kernel wrote it (innokraft.page.show_widget_state, the last output).
function outputs() {
  const found = [];
  let states = null;
  document.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]').forEach((script) => {
    try {
      const output = JSON.parse(script.textContent);
      if (output.data && output.data[WIDGET_STATE]) {
        states = output.data[WIDGET_STATE].state;
        const area = script.parentElement;
        script.remove();
        if (area && area.classList.contains("jp-OutputArea-child") && !area.children.length) area.remove();
      } else {
        found.push({ script, output });
      }
    } catch (e) {
      console.error(e);
    }
  });
  return { found, states };
}

function joined(value) {
  return Array.isArray(value) ? value.join("") : String(value);
}

function outputHost(mime) {
  const host = document.createElement("div");
  host.className = "lm-Widget jp-OutputArea-output";
  host.setAttribute("data-mime-type", mime);
  return host;
}

// What else a kernel may show, drawn as JupyterLab would (a kernel's output is as trusted
// here as in Voilà's own front-end).
function plain(output) {
  const data = output.data || {};
  if (output.output_type === "stream") return ["text/plain", output.text];
  if (output.output_type === "error") return ["text/plain", `${output.ename}: ${output.evalue}`];
  for (const mime of ["text/html", "image/svg+xml", "image/png", "image/jpeg", "text/plain"]) {
    if (mime in data) return [mime, data[mime]];
  }
  return null;
}

function showPlain(script, output) {
  const found = plain(output);
  if (!found) return;
  const [mime, value] = found;
  const host = outputHost(mime);
  if (mime === "text/html" || mime === "image/svg+xml") {
    host.classList.add("jp-RenderedHTMLCommon", "jp-RenderedHTML");
    host.innerHTML = joined(value);
  } else if (mime.startsWith("image/")) {
    const img = document.createElement("img");
    img.src = `data:${mime};base64,${joined(value).replace(/\n/g, "")}`;
    img.alt = "";
    host.appendChild(img);
  } else {
    const pre = document.createElement("pre");
    pre.textContent = joined(value);
    host.appendChild(pre);
  }
  script.replaceWith(host);
}

async function show(manager, { script, output }) {
  const view = output.data && output.data[WIDGET_VIEW];
  if (!view || !view.model_id) return showPlain(script, output);
  const model = await manager.get_model(view.model_id);
  const widget = await manager.create_view(model);
  const host = outputHost(WIDGET_VIEW);
  script.replaceWith(host);
  Widget.attach(widget.luminoWidget, host);
}

function shutdownOnLeave(server, kernelId) {
  // A closed page frees its kernel at once; culling is only the backstop. beforeunload comes
  // first where there is one (a closed tab, a link to the next page): the kernel then knows it
  // is exiting before the page's last keystrokes reach it, and never writes them over the text
  // the page's beacon stored (innokraft.page_hooks). A phone putting a tab away gives pagehide.
  let sent = false;
  const shutdown = () => {
    if (sent) return;
    sent = true;
    const xsrf = (document.cookie.match(/\b_xsrf=([^;]*)\b/) || [])[1];
    fetch(`${server.baseUrl}voila/api/shutdown/${kernelId}`, {
      method: "POST",
      keepalive: true,
      credentials: "same-origin",
      headers: xsrf ? { "X-XSRFToken": xsrf } : {},
    }).catch(() => {});
  };
  window.addEventListener("beforeunload", shutdown);
  window.addEventListener("pagehide", shutdown);
}

// The widgets appear above text a leader may already be reading (the page's text comes first):
// keep that text where it is on the screen while they are drawn and take their height.
function keepPlace() {
  if (window.scrollY <= 0) return () => {};
  const anchor = [...document.querySelectorAll("#rendered_cells .jp-RenderedHTMLCommon")]
    .find((el) => el.getBoundingClientRect().bottom > 0);
  if (!anchor) return () => {};
  const top = anchor.getBoundingClientRect().top;
  let keeping = true;
  const keep = () => {
    if (!keeping) return;
    const moved = anchor.getBoundingClientRect().top - top;
    if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
  };
  const resized = new ResizeObserver(keep);
  resized.observe(document.getElementById("rendered_cells"));
  const stop = () => {
    keeping = false;
    resized.disconnect();
  };
  // The leader moves on: from then on the page is theirs to scroll.
  for (const type of ["wheel", "touchstart", "keydown", "pointerdown"]) {
    window.addEventListener(type, stop, { once: true, passive: true });
  }
  return () => {
    keep();
    window.setTimeout(stop, 3000); // charts draw a moment after their widget
  };
}

function finish() {
  const loading = document.getElementById("loading");
  if (loading) loading.remove();
}

function parsed() {
  return new Promise((resolve) => {
    if (document.readyState !== "loading") resolve();
    else document.addEventListener("DOMContentLoaded", resolve, { once: true });
  });
}

// Connect once the page is whole: then every cell has run and every widget exists. (Connected
// earlier, the page would also hear the widgets being made, and a model whose children were
// made before it connected could wait for them in vain on a slow machine.)
async function start() {
  await parsed();
  const found = settings();
  if (!found) return finish();
  const { kernelId, server } = found;
  // Marks for benchmarks.pages: where the time between the whole page and its widgets goes.
  performance.mark("innokraft:connect");
  shutdownOnLeave(server, kernelId);
  const kernel = new KernelConnection({ model: { id: kernelId, name: "python3" }, serverSettings: server });
  const manager = new PageWidgetManager(kernel);
  const { found: shown, states } = outputs();
  // With the state in the page, the widgets are drawn while the connection opens (what they
  // send meanwhile waits for it); without it (a page whose cells failed) it is asked for.
  await (states ? manager.loadEmbedded(states) : manager.load());
  performance.mark("innokraft:models");
  const drawn = keepPlace();
  const results = await Promise.allSettled(shown.map((o) => show(manager, o)));
  results.filter((r) => r.status === "rejected").forEach((r) => console.error(r.reason));
  finish();
  performance.mark("innokraft:drawn");
  drawn();
}

start();
