// Inside a learning system (LMS): passes a chapter's progress to it through the SCORM API.
// On a chapter page opened as a SCO (?sco=<chapter> in its address, from the package's manifest),
// it looks for the LMS's API in the parent and opener windows (API_1484_11 for
// SCORM 2004, API for SCORM 1.2), initialises, restores the resume point and progress saved at
// the last launch, and from then on reports: the resume point (the nearest heading), the
// chapter's progress (suspend_data), completion (read to the end and self-check answered) and
// the score (the self-check, right at the first try). It commits after each change and finishes
// when the page is left or closed (pagehide). Outside an LMS it finds no API and does nothing, silently:
// progress stays in the browser only (book/_static/progress.js). The rules are also in the
// package's manifest (src/dementia_housing/scorm.py).
(function () {
  "use strict";
  var VOCABULARY = {
    "1.2": {
      name: "API", init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
      finish: "LMSFinish", location: "cmi.core.lesson_location", status: "cmi.core.lesson_status",
      score: "cmi.core.score", exit: "cmi.core.exit", time: "cmi.core.session_time", entry: "cmi.core.entry",
    },
    "2004": {
      name: "API_1484_11", init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
      finish: "Terminate", location: "cmi.location", status: "cmi.completion_status",
      score: "cmi.score", exit: "cmi.exit", time: "cmi.session_time", entry: "cmi.entry",
    },
  };
  var SUSPEND_LIMIT = 4096; // SCORM 1.2's limit for suspend_data (2004 allows 64000)

  // The nearest window up the parent chain (then the opener's) that holds the API object.
  function search(win, name) {
    for (var hops = 0; win && hops < 20; hops += 1) {
      try {
        if (win[name]) return win[name];
      } catch (error) {
        return null; // a window of another origin: not our LMS
      }
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }

  function find() {
    var versions = ["2004", "1.2"];
    for (var i = 0; i < versions.length; i += 1) {
      var name = VOCABULARY[versions[i]].name;
      var api = search(window, name);
      if (!api && window.opener) api = search(window.opener, name);
      if (api) return { api: api, words: VOCABULARY[versions[i]], version: versions[i] };
    }
    return null;
  }

  function timespan(seconds, version) {
    if (version === "2004") return "PT" + Math.round(seconds) + "S";
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var whole = Math.round(seconds);
    return pad(Math.floor(whole / 3600)) + ":" + pad(Math.floor(whole / 60) % 60) + ":" + pad(whole % 60);
  }

  // The section the reader is in: the last one whose heading has reached the top of the window.
  function resumePoint() {
    var sections = document.querySelectorAll("article.bd-article section[id]");
    var point = "";
    for (var i = 0; i < sections.length; i += 1) {
      if (sections[i].getBoundingClientRect().top <= 80) point = sections[i].id;
    }
    return point;
  }

  function start(progress) {
    var slug = progress.chapter;
    // Only as the SCO the LMS launched (its launch address names it): a chapter the learner then
    // opens from the menu in the same window is another SCO, which the LMS launches itself.
    if (new URLSearchParams(window.location.search).get("sco") !== slug) return;
    var found = find();
    if (!found) return;
    var api = found.api;
    var words = found.words;
    var call = function (name, a, b) {
      try {
        return String(b === undefined ? api[words[name]](a === undefined ? "" : a) : api[words[name]](a, b));
      } catch (error) {
        return "";
      }
    };
    if (call("init") !== "true") return;
    var open = true;
    var began = Date.now();

    var saved = call("get", "cmi.suspend_data");
    if (saved) {
      try {
        progress.mergeChapter(slug, JSON.parse(saved));
      } catch (error) {
        // not ours (another version of the course): start afresh
      }
    }
    var location = call("get", words.location);
    var target = location && document.getElementById(location);
    if (target) target.scrollIntoView();
    var where = location || "";

    var status = "";
    var scored = "";
    var suspended = saved || "";
    var measured = "";
    function report(final) {
      if (!open) return;
      var s = progress.summary(slug);
      var record = progress.state().chapters[slug] || {};
      var data = JSON.stringify({ read: record.read || "", questions: s.questions, answers: record.answers || {} });
      if (data.length > SUSPEND_LIMIT) data = JSON.stringify({ read: record.read || "", questions: s.questions });
      var changed = false;
      if (data !== suspended) {
        call("set", "cmi.suspend_data", data);
        suspended = data;
        changed = true;
      }
      var next = s.complete ? "completed" : "incomplete";
      if (next !== status) {
        call("set", words.status, next);
        status = next;
        changed = true;
      }
      if (s.questions > 0 && s.answered >= s.questions) {
        var percent = String(Math.round((100 * s.right) / s.questions));
        if (percent !== scored) {
          call("set", words.score + ".min", "0");
          call("set", words.score + ".max", "100");
          call("set", words.score + ".raw", percent);
          if (found.version === "2004") call("set", "cmi.score.scaled", String(s.right / s.questions));
          scored = percent;
          changed = true;
        }
      }
      var measure = String(((s.read ? 1 : 0) + s.answered) / (1 + Math.max(s.questions, s.answered)));
      if (found.version === "2004" && measure !== measured) {
        call("set", "cmi.progress_measure", measure);
        measured = measure;
        changed = true;
      }
      var point = resumePoint() || where;
      if (point && point !== where) {
        call("set", words.location, point);
        where = point;
      }
      if (final) {
        // Always "suspend": reopening the chapter resumes it, with its progress, rather than starting afresh.
        call("set", words.exit, "suspend");
        call("set", words.time, timespan((Date.now() - began) / 1000, found.version));
        call("commit");
        call("finish");
        open = false;
      } else if (changed) {
        call("commit");
      }
    }
    report(false);
    progress.onChange(function () { report(false); });
    window.addEventListener("pagehide", function () { report(true); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var progress = window.dhProgress;
    if (progress && progress.chapter && document.querySelector("article.bd-article")) start(progress);
  });
})();
