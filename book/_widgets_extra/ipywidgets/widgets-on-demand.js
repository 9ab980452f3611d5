// Course file (not fetched): draws a tool page's saved worked examples only when the reader
// comes near one, so the 3.6 MB widget manager never holds up the first view of the page
// (Lighthouse counted over 2 s of script time on a phone when it loaded with the page).
//
// myst-nb puts this one script (deferred) on every page with saved widgets, in place of the
// widget manager's three (see nb_ipywidgets_js in _config.yml). It leaves a short note where
// each example will appear and loads requirejs-config.js, require.js and embed-amd.js, in that
// order and from its own folder, when an example is about to scroll into sight, when the page is
// printed, or when a live tool asks for the manager (live-tools.js calls window.dhWidgets.load()).
// embed-amd.js draws the examples as soon as it runs once the page has loaded.
(function () {
  "use strict";
  var VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  var AHEAD = "0px 0px 800px 0px"; // start this far below the screen, so the example is ready in time
  var WAITING = "The worked example appears here as you reach it.";
  var LOADING = "Loading the worked example…";
  var FAILED =
    "The worked example could not be loaded. Reload the page to try again; the rest of the page still explains the tool.";

  var me = document.currentScript;
  var folder = me ? me.src.slice(0, me.src.lastIndexOf("/") + 1) : "";
  var notes = [];
  var loading = null;

  function addScript(name, attributes) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      Object.keys(attributes || {}).forEach(function (key) {
        tag.setAttribute(key, attributes[key]);
      });
      tag.src = folder + name;
      tag.onload = function () {
        resolve();
      };
      tag.onerror = function () {
        reject(new Error(name + " could not be loaded"));
      };
      document.head.appendChild(tag);
    });
  }

  function say(text, failed) {
    notes.forEach(function (note) {
      note.textContent = text;
      note.classList.toggle("dh-widget-failed", Boolean(failed));
    });
  }

  // Each file is added once; one that failed is tried again on the next call.
  var added = {};
  function addOnce(name, attributes) {
    if (!added[name]) {
      added[name] = addScript(name, attributes).catch(function (error) {
        delete added[name];
        throw error;
      });
    }
    return added[name];
  }

  // The widget manager, loaded once; the promise settles when its scripts have run. After a
  // failure the next call (a live tool's "Try again") tries the missing files again.
  function load() {
    if (!loading) {
      say(LOADING);
      loading = addOnce("requirejs-config.js")
        .then(function () {
          return addOnce("require.js");
        })
        .then(function () {
          // Any module the bundle lacks is looked for in this folder, never on a CDN.
          return addOnce("embed-amd.js", {
            "data-jupyter-widgets-cdn": folder,
            "data-jupyter-widgets-cdn-only": "",
          });
        })
        .catch(function (error) {
          loading = null;
          say(FAILED, true);
          throw error;
        });
    }
    return loading;
  }

  // A note stays until its example has been drawn beside it.
  function noteFor(view) {
    var note = document.createElement("p");
    note.className = "dh-widget-note";
    note.textContent = WAITING;
    view.parentElement.insertBefore(note, view);
    var drawn = new MutationObserver(function () {
      if (view.parentElement.querySelector(".widget-subarea > *")) {
        drawn.disconnect();
        note.remove();
        notes.splice(notes.indexOf(note), 1);
      }
    });
    drawn.observe(view.parentElement, { childList: true, subtree: true });
    return note;
  }

  // Drawing on its own: a failure is already said in the notes.
  function draw() {
    load().catch(function () {});
  }

  var views = document.querySelectorAll(VIEW);
  if (!folder || !views.length) return;
  notes = Array.prototype.map.call(views, noteFor);
  window.dhWidgets = { load: load };

  if (!("IntersectionObserver" in window)) {
    draw();
  } else {
    var near = new IntersectionObserver(
      function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          near.disconnect();
          draw();
        }
      },
      { rootMargin: AHEAD }
    );
    notes.forEach(function (note) {
      near.observe(note);
    });
  }
  window.addEventListener("beforeprint", draw);
})();
