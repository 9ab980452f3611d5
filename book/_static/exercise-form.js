// Exercise pages (book/exercises/, made by book/_ext/exercise_pages.py): answer an exercise in
// the browser and download the released notebook with the answers in its answer cells.
// The rules are dementia_housing.grading.exercise_form's, kept in step by one table of cases
// (data/exercise-form-cases.json, tested in Python and here). Only literals are written:
// a letter in quotes, a validated number, escaped markdown. Every other byte is as released.
// Answers are kept in this browser (localStorage) as they are typed; nothing is sent anywhere.
(function () {
  "use strict";

  var SEPARATORS = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;

  function parseNumber(text, whole, messages, limits) {
    text = String(text).replace(/\s/g, " ").trim();
    if (!text) return { literal: null, error: null };
    var sign = "";
    if ("-+\u2212".indexOf(text[0]) >= 0) {
      sign = text[0] === "+" ? "" : "-";
      text = text.slice(1).trim();
    }
    if (text[0] === "£") text = text.slice(1).trim();
    if (text[text.length - 1] === "%") text = text.slice(0, -1).trim();
    if (/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(text)) text = text.replace(/,/g, "");
    else if (/^\d{1,3}(?: \d{3})+(?:\.\d+)?$/.test(text)) text = text.replace(/ /g, "");
    else if (/^\d+,\d+$/.test(text)) text = text.replace(",", ".");
    var match = /^(\d*)(?:\.(\d+))?$/.exec(text);
    if (!text || !match || text === ".") return { literal: null, error: messages.not_a_number };
    var integer = match[1].replace(/^0+/, "") || "0";
    var fraction = match[2] || "";
    if (integer.length > limits.integer || fraction.length > limits.fraction) {
      return { literal: null, error: messages.too_long };
    }
    if (whole) {
      if (fraction.replace(/0/g, "")) return { literal: null, error: messages.not_whole };
      fraction = "";
    }
    if (sign && integer === "0" && !fraction.replace(/0/g, "")) sign = "";
    return { literal: sign + integer + (fraction ? "." + fraction : ""), error: null };
  }

  function safeLearner(name) {
    var text = String(name).normalize("NFKD").replace(/\p{Mn}/gu, "").normalize("NFC").trim().toLowerCase();
    text = text.replace(/['’‘`]/g, "").replace(/[^\p{L}\p{N}]/gu, "-").replace(/-+/g, "-");
    text = text.replace(/^-+|-+$/g, "");
    return Array.from(text).slice(0, 64).join("").replace(/-+$/, "");
  }

  // A written answer as the grader's own inert markdown (dementia_housing.grading.safety):
  // & < > escaped, link, code and maths marks backslash-escaped, inside the block the grader
  // recognises (form.inert), so it shows as typed and is never escaped twice.
  function escapeMarkdown(text, form) {
    var inner = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return form.inert[0] + inner.replace(/([\\\[\]$`])/g, "\\$1") + form.inert[1];
  }

  function unescapeMarkdown(text, form) {
    var open = form.inert[0], close = form.inert[1];
    if (text.length < open.length + close.length || text.slice(0, open.length) !== open ||
        text.slice(-close.length) !== close) return text;
    var inner = text.slice(open.length, text.length - close.length).replace(/\\([\\\[\]$`])/g, "$1");
    return inner.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  // As Python's str.splitlines(keepends=True), which nbformat uses for a cell's source.
  function splitLines(text) {
    var lines = [];
    var start = 0;
    var match;
    SEPARATORS.lastIndex = 0;
    while ((match = SEPARATORS.exec(text))) {
      lines.push(text.slice(start, match.index + match[0].length));
      start = match.index + match[0].length;
    }
    if (start < text.length) lines.push(text.slice(start));
    return lines;
  }

  function answerSource(question, answers, form) {
    if (question.kind === "markdown") {
      var text = answers[question.key] || "";
      return text.trim() ? escapeMarkdown(text, form) : null;
    }
    var lines = [];
    question.fields.forEach(function (field) {
      var typed = answers[field.key] || "";
      if (field.kind === "letter") {
        var letter = typed.trim().toUpperCase();
        if (letter.length === 1 && field.letters.indexOf(letter) >= 0) lines.push(field.name + ' = "' + letter + '"');
      } else {
        var parsed = parseNumber(typed, field.kind === "whole", form.messages, form.limits);
        if (parsed.literal !== null) lines.push(field.name + " = " + parsed.literal);
      }
    });
    return lines.length ? lines.join("\n") : null;
  }

  function fill(notebookText, form, answers) {
    var nb = JSON.parse(notebookText);
    form.questions.forEach(function (question) {
      var source = answerSource(question, answers, form);
      if (source !== null) nb.cells[question.cell].source = splitLines(source);
    });
    return JSON.stringify(nb, null, 1) + "\n";
  }

  function gradeIds(nb) {
    return nb.cells
      .map(function (cell) { return cell && cell.metadata && cell.metadata.nbgrader && cell.metadata.nbgrader.grade_id; })
      .filter(Boolean);
  }

  var ASSIGNED = /^\s*([A-Za-z_]\w*)\s*=\s*(?:"([A-Za-z])"|'([A-Za-z])'|(-?\d+(?:\.\d+)?))\s*$/;

  function readAnswers(nb, form) {
    if (!nb || typeof nb !== "object" || !Array.isArray(nb.cells)) throw new Error(form.messages.not_ours);
    var ids = gradeIds(nb);
    var wanted = form.grade_ids.slice().sort().join(" ");
    if (ids.slice().sort().filter(function (id, i, all) { return all.indexOf(id) === i; }).join(" ") !== wanted) {
      throw new Error(ids.length ? form.messages.other_assignment : form.messages.not_ours);
    }
    var byId = {};
    nb.cells.forEach(function (cell) {
      var id = cell.metadata && cell.metadata.nbgrader && cell.metadata.nbgrader.grade_id;
      if (id) byId[id] = cell;
    });
    var answers = {};
    form.questions.forEach(function (question) {
      var raw = byId[question.grade_id].source;
      var source = Array.isArray(raw) ? raw.join("") : String(raw || "");
      if (source === question.released_source) return;
      if (question.kind === "markdown") {
        answers[question.key] = unescapeMarkdown(source, form);
        return;
      }
      var names = {};
      question.fields.forEach(function (field) { names[field.name] = field; });
      splitLines(source).forEach(function (line) {
        var match = ASSIGNED.exec(line.replace(/[\r\n]+$/, ""));
        if (match && names[match[1]]) {
          var value = match[2] || match[3] || match[4];
          answers[names[match[1]].key] = /^[A-Za-z]$/.test(value) ? value.toUpperCase() : value;
        }
      });
    });
    return answers;
  }

  window.dhExerciseForm = {
    parseNumber: parseNumber, safeLearner: safeLearner, splitLines: splitLines, fill: fill, readAnswers: readAnswers,
  };

  function start() {
    var notebookElement = document.getElementById("dh-ex-notebook");
    var formElement = document.getElementById("dh-ex-form");
    if (!notebookElement || !formElement) return;
    var notebookText = notebookElement.textContent;
    var form = JSON.parse(formElement.textContent);
    var storageKey = "dh-exercise:" + form.assignment;
    var fields = [];
    form.questions.forEach(function (question) {
      if (question.kind === "markdown") fields.push({ key: question.key, kind: "markdown", question: question });
      question.fields.forEach(function (field) {
        fields.push({ key: field.key, kind: field.kind, question: question, field: field });
      });
    });
    var page = document;

    function holder(key) { return page.querySelector('[data-key="' + CSS.escape(key) + '"]'); }
    function control(entry) {
      var box = holder(entry.key);
      return entry.kind === "markdown" ? box.querySelector("textarea") : box.querySelector("input");
    }
    function value(entry) {
      var box = holder(entry.key);
      if (entry.kind === "letter") {
        var chosen = box.querySelector("input:checked");
        return chosen ? chosen.value : "";
      }
      return control(entry).value;
    }
    function setValue(entry, text) {
      var box = holder(entry.key);
      if (entry.kind === "letter") {
        box.querySelectorAll("input").forEach(function (radio) { radio.checked = radio.value === text; });
      } else {
        control(entry).value = text || "";
      }
    }
    function answers() {
      var all = {};
      fields.forEach(function (entry) { all[entry.key] = value(entry); });
      return all;
    }
    function numberError(entry) {
      if (entry.kind !== "number" && entry.kind !== "whole") return null;
      return parseNumber(value(entry), entry.kind === "whole", form.messages, form.limits).error;
    }
    function showError(entry, show) {
      if (entry.kind !== "number" && entry.kind !== "whole") return;
      var input = control(entry);
      var error = document.getElementById(input.id.replace(/-input$/, "-error"));
      var message = numberError(entry);
      if (!message) {
        error.textContent = "";
        input.removeAttribute("aria-invalid");
      } else if (show) {
        error.textContent = message;
        input.setAttribute("aria-invalid", "true");
      }
    }

    var nameInput = document.getElementById("dh-ex-name");
    var nameError = document.getElementById("dh-ex-name-error");
    var unanswered = page.querySelector(".dh-ex-unanswered");
    var downloadStatus = document.getElementById("dh-ex-download-status");
    var storageWorks = true;

    function save() {
      try {
        localStorage.setItem(storageKey, JSON.stringify({ version: 1, answers: answers(), name: nameInput.value }));
      } catch (problem) {
        if (storageWorks) {
          storageWorks = false;
          downloadStatus.textContent = "This browser is not keeping your answers (private browsing or storage full): " +
            "download your notebook before you close the page.";
        }
      }
    }

    function listUnanswered() {
      var current = answers();
      var missing = [];
      form.questions.forEach(function (question) {
        var keys = question.kind === "markdown" ? [question.key] : question.fields.map(function (f) { return f.key; });
        var given = keys.filter(function (key) { return (current[key] || "").trim(); }).length;
        if (given < keys.length) missing.push({ question: question, part: given > 0 });
      });
      unanswered.textContent = "";
      var intro = document.createElement("p");
      if (!missing.length) {
        intro.textContent = "Every question has an answer.";
        unanswered.appendChild(intro);
        return;
      }
      intro.textContent = "Not answered yet (you can still download, and these score no marks):";
      var list = document.createElement("ul");
      missing.forEach(function (item) {
        var link = document.createElement("a");
        link.href = "#" + item.question.anchor;
        link.textContent = item.question.heading + (item.part ? " (partly answered)" : "");
        var entry = document.createElement("li");
        entry.appendChild(link);
        list.appendChild(entry);
      });
      unanswered.appendChild(intro);
      unanswered.appendChild(list);
    }

    function apply(stored) {
      fields.forEach(function (entry) {
        setValue(entry, stored[entry.key] || "");
        showError(entry, true);
      });
      listUnanswered();
    }

    // Restore what this browser kept.
    try {
      var kept = JSON.parse(localStorage.getItem(storageKey) || "null");
      if (kept && kept.answers) {
        apply(kept.answers);
        if (typeof kept.name === "string") nameInput.value = kept.name;
      }
    } catch (problem) { /* nothing kept, or not readable: start empty */ }

    fields.forEach(function (entry) {
      var box = holder(entry.key);
      box.addEventListener("input", function () {
        showError(entry, false);
        save();
        listUnanswered();
      });
      box.addEventListener("change", function () {
        showError(entry, true);
        save();
        listUnanswered();
      });
    });
    nameInput.addEventListener("input", function () {
      if (safeLearner(nameInput.value)) {
        nameError.textContent = "";
        nameInput.removeAttribute("aria-invalid");
      }
      save();
    });

    page.querySelectorAll(".dh-ex-load, .dh-ex-send, .dh-ex-clear").forEach(function (part) { part.hidden = false; });
    listUnanswered();

    page.querySelector(".dh-ex-download").addEventListener("click", function () {
      var wrong = fields.filter(function (entry) { return numberError(entry); });
      wrong.forEach(function (entry) { showError(entry, true); });
      if (wrong.length) {
        downloadStatus.textContent = "Correct the answer to " + wrong[0].question.heading +
          " first: the notebook can only take a number there.";
        control(wrong[0]).focus();
        return;
      }
      var learner = safeLearner(nameInput.value);
      if (!learner) {
        nameError.textContent = nameInput.value.trim() ? form.messages.name_unusable : form.messages.name_needed;
        nameInput.setAttribute("aria-invalid", "true");
        nameInput.focus();
        downloadStatus.textContent = "";
        return;
      }
      var fileName = learner + "_" + form.assignment + ".ipynb";
      var blob = new Blob([fill(notebookText, form, answers())], { type: "application/x-ipynb+json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = fileName;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
      downloadStatus.textContent = "Your notebook is downloading as " + fileName + ". Send that file in (see below).";
      // For the learner's own progress page (book/_static/progress.js); nothing leaves the browser.
      document.dispatchEvent(new CustomEvent("dh:exercise-downloaded", { detail: { assignment: form.assignment } }));
    });

    var loadInput = document.getElementById("dh-ex-load-file");
    var loadStatus = document.getElementById("dh-ex-load-status");
    loadInput.addEventListener("change", function () {
      var file = loadInput.files && loadInput.files[0];
      if (!file) return;
      file.text().then(function (text) {
        var nb;
        try {
          nb = JSON.parse(text);
        } catch (problem) {
          throw new Error(form.messages.not_ours);
        }
        var loaded = readAnswers(nb, form);
        apply(loaded);
        save();
        var count = Object.keys(loaded).length;
        loadStatus.textContent = "Loaded " + count + " answer" + (count === 1 ? "" : "s") + " from " + file.name + ".";
      }).catch(function (problem) {
        loadStatus.textContent = file.name + ": " + problem.message;
      }).then(function () { loadInput.value = ""; });
    });

    var ask = page.querySelector(".dh-ex-clear-ask");
    var confirmBox = page.querySelector(".dh-ex-confirm");
    var clearStatus = document.getElementById("dh-ex-clear-status");
    function closeConfirm() {
      confirmBox.hidden = true;
      ask.setAttribute("aria-expanded", "false");
      ask.focus();
    }
    ask.setAttribute("aria-expanded", "false");
    ask.addEventListener("click", function () {
      confirmBox.hidden = false;
      ask.setAttribute("aria-expanded", "true");
      clearStatus.textContent = "";
      confirmBox.querySelector(".dh-ex-clear-no").focus();
    });
    confirmBox.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeConfirm();
    });
    confirmBox.querySelector(".dh-ex-clear-no").addEventListener("click", closeConfirm);
    confirmBox.querySelector(".dh-ex-clear-yes").addEventListener("click", function () {
      apply({});
      nameInput.value = "";
      try { localStorage.removeItem(storageKey); } catch (problem) { /* nothing kept */ }
      closeConfirm();
      clearStatus.textContent = "Your answers on this page were cleared.";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
