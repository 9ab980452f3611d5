// Run a course tool live on its page: our Python, in the reader's browser, with no server.
//
// Loaded only when the reader presses "Run this tool live" (see book/_ext/live_tools.py,
// which puts the button and the tool cell's source on the page). It starts Pyodide from this
// site's own /live/pyodide/ folder, installs the course package and its pure-Python wheels
// listed in our pyodide-lock.json, and runs the tool cell. Widget messages pass between Python
// (dementia_housing.live) and the same ipywidgets manager that shows the saved worked example,
// so the live tool looks and behaves as it does in Jupyter. Nothing is fetched from elsewhere.

const here = new URL(".", import.meta.url);
const pyodideFolder = new URL("pyodide/", here).href;

let runtime = null; // one Python per page, shared by every tool on it

function say(box, text, busy) {
  box.querySelector(".dh-live-status").textContent = text;
  box.querySelector("progress").hidden = !busy;
  box.setAttribute("aria-busy", busy ? "true" : "false");
}

// The page's widget manager: widgets-on-demand.js loads it when asked (or has already, if the
// reader reached the saved example first).
async function requireModule(name) {
  if (window.dhWidgets) await window.dhWidgets.load();
  return new Promise((resolve, reject) => {
    if (typeof window.require !== "function") {
      reject(new Error("the page's widget manager is missing"));
      return;
    }
    window.require([name], resolve, reject);
  });
}

// A comm: the channel for one widget between the page's manager and Python.
class PageComm {
  constructor(bridge, commId, targetName) {
    this.bridge = bridge;
    this.comm_id = commId;
    this.target_name = targetName;
    this.onMessage = null;
    this.onClose = null;
    this.early = []; // messages that arrive while the manager is still creating the model
  }
  receive(message) {
    if (this.onMessage) this.onMessage(message);
    else this.early.push(message);
  }
  open() {
    throw new Error("the live page cannot open widgets from the browser side");
  }
  send(data, callbacks, metadata, buffers) {
    return this.bridge.toPython(this.comm_id, data, callbacks, buffers);
  }
  close() {
    this.bridge.comms.delete(this.comm_id);
    return "";
  }
  on_msg(callback) {
    this.onMessage = callback;
    for (const message of this.early.splice(0)) callback(message);
  }
  on_close(callback) {
    this.onClose = callback;
  }
}

// Carries messages both ways, and gives Python's replies the parent id a kernel would.
class Bridge {
  constructor(manager) {
    this.manager = manager;
    this.comms = new Map();
    this.opening = [];
    this.parent = "";
    this.count = 0;
    this.deliver = null; // dementia_housing.live.deliver, set once Python is ready
  }

  fromPython(messageJson, buffers) {
    const message = JSON.parse(messageJson);
    message.header = { msg_id: `python-${++this.count}`, msg_type: message.msg_type };
    message.parent_header = { msg_id: this.parent };
    message.buffers = (buffers && buffers.toJs ? buffers.toJs() : []).map(
      (bytes) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    );
    const commId = message.content.comm_id;
    if (message.msg_type === "comm_open") {
      const comm = new PageComm(this, commId, message.content.target_name);
      this.comms.set(commId, comm);
      this.opening.push(this.manager.handle_comm_open(comm, message));
    } else if (message.msg_type === "comm_msg") {
      const comm = this.comms.get(commId);
      if (comm) comm.receive(message);
    } else if (message.msg_type === "comm_close") {
      const comm = this.comms.get(commId);
      this.comms.delete(commId);
      if (comm && comm.onClose) comm.onClose(message);
    }
  }

  toPython(commId, data, callbacks, buffers) {
    const msgId = `page-${++this.count}`;
    const message = JSON.stringify({ header: { msg_id: msgId }, content: { comm_id: commId, data } });
    const binary = (buffers || []).map((b) => new Uint8Array(b.buffer || b, b.byteOffset || 0, b.byteLength));
    const previous = this.parent;
    this.parent = msgId;
    try {
      this.deliver(message, binary);
    } catch (error) {
      console.error("The live tool could not handle that change:", error);
    } finally {
      this.parent = previous;
    }
    // The manager counts messages in flight until the "kernel" reports idle; Python has
    // already finished, so report idle once the manager has recorded this message.
    const status = callbacks && callbacks.iopub && callbacks.iopub.status;
    if (status) setTimeout(() => status({ content: { execution_state: "idle" }, parent_header: { msg_id: msgId } }));
    return msgId;
  }

  async opened() {
    while (this.opening.length) await Promise.all(this.opening.splice(0));
  }
}

async function boot(box) {
  if (typeof WebAssembly !== "object") {
    throw new Error("this browser cannot run WebAssembly, which the live tools need");
  }
  say(box, "Starting Python in your browser. The first time this downloads up to 18 MB; you can keep reading.", true);
  const { HTMLManager } = await requireModule("@jupyter-widgets/html-manager");
  class LiveManager extends HTMLManager {
    _create_comm() {
      return Promise.reject(new Error("the live page cannot open widgets from the browser side"));
    }
    _get_comm_info() {
      return Promise.resolve({});
    }
  }
  const manager = new LiveManager();
  const bridge = new Bridge(manager);

  const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideFolder).href);
  const pyodide = await loadPyodide({
    indexURL: pyodideFolder,
    packageBaseUrl: pyodideFolder,
    lockFileURL: new URL("pyodide-lock.json", pyodideFolder).href,
    fullStdLib: false,
  });
  performance.mark("dh-live:python-started");
  say(box, "Loading the course's tools…", true);
  await pyodide.loadPackage(["dementia-housing"], {
    messageCallback: () => {},
    errorCallback: (text) => console.warn(text),
  });
  performance.mark("dh-live:packages-loaded");
  const live = pyodide.pyimport("dementia_housing.live");
  live.connect((messageJson, buffers) => bridge.fromPython(messageJson, buffers));
  bridge.deliver = live.deliver;
  return { pyodide, live, manager, bridge };
}

export async function start(box) {
  const button = box.querySelector("button");
  const cell = box.nextElementSibling;
  const saved = cell.querySelector(".cell_output");
  const source = JSON.parse(box.querySelector("script.dh-live-cell").textContent).source;
  button.disabled = true;
  performance.mark("dh-live:pressed");
  try {
    runtime = runtime || boot(box);
    let started;
    try {
      started = await runtime;
    } catch (error) {
      runtime = null; // start-up failed: "Try again" starts Python afresh
      throw error;
    }
    const { live, manager, bridge } = started; // a later error keeps the runtime (no second download)
    say(box, "Building the tool…", true);
    const modelId = live.start_tool(source);
    await bridge.opened();
    const view = await manager.create_view(await manager.get_model(modelId));
    const area = document.createElement("div");
    area.className = "dh-live-area";
    saved.after(area);
    await manager.display_view(view, area);
    saved.hidden = true;
    // The saved example has gone, and the download is done: the status line says the rest.
    for (const said of box.querySelectorAll(".dh-saved-notice, .dh-live-note")) said.hidden = true;
    performance.mark("dh-live:shown"); // the stages are read by bench/live_tools.py
    button.textContent = "Running live";
    say(
      box,
      "Live: the tool now runs in your browser. It recalculates when you choose an option, or when you " +
        "press Enter or move to the next field after typing. Nothing you enter leaves this computer.",
      false,
    );
  } catch (error) {
    button.disabled = false;
    button.textContent = "Try again";
    say(
      box,
      `The live tool could not start in this browser (${error && error.message ? error.message : error}). ` +
        "The saved worked example below still shows how the tool works; to use your own figures, " +
        "download this page as a notebook and open it in Jupyter.",
      false,
    );
    console.warn("Live tool failed to start:", error);
  }
}
