// Progress in this browser only. Records, under one localStorage key, which chapters the reader
// has read to the end, their first answer to each self-check question (and whether it was
// right), which tools they used and which exercises they downloaded. Nothing is sent anywhere:
// inside a learning system, book/_static/scorm-bridge.js passes one chapter's record to it.
// If storage is blocked the record lives only as long as the page, and the "Your progress" page
// (book/progress.md) says why it is empty. window.dhProgress is what the other scripts use.
(function () {
  "use strict";
  var KEY = "dh-progress";
  var VERSION = 1;
  var CHAPTER = /^book\/(ch\d\d-[a-z0-9-]+)$/;
  var TOOL = /^book\/tools\/([a-z0-9-]+)$/;
  var listeners = [];
  var storageProblem = "";

  function empty() {
    return { version: VERSION, chapters: {}, tools: {}, exercises: {} };
  }

  function today() {
    return new Date().toISOString().slice(0, 10);
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // A stored record as this version reads it: anything else (another version, bad JSON) is ignored.
  function parse(text) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return empty();
    }
    if (!isObject(data) || data.version !== VERSION) return empty();
    var clean = empty();
    ["chapters", "tools", "exercises"].forEach(function (part) {
      if (isObject(data[part])) clean[part] = data[part];
    });
    return clean;
  }

  function load() {
    try {
      var text = window.localStorage.getItem(KEY);
      return text ? parse(text) : empty();
    } catch (error) {
      storageProblem = (error && error.name) || "blocked";
      return empty();
    }
  }

  var state = load();

  function save() {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (error) {
      storageProblem = (error && error.name) || "blocked";
    }
    listeners.forEach(function (listener) {
      listener(state);
    });
  }

  // The page's name inside the site ("book/ch01-why-housing"), wherever the site is served from.
  function pageName(url) {
    var root = new URL(document.documentElement.dataset.content_root || "./", window.location.href).pathname;
    var path = new URL(url || window.location.href, window.location.href).pathname;
    if (path.indexOf(root) !== 0) return "";
    return decodeURIComponent(path.slice(root.length)).replace(/\.html$/, "").replace(/(^|\/)index$/, "$1");
  }

  function chapterOf(name) {
    var match = CHAPTER.exec(name);
    return match ? match[1] : "";
  }

  function chapter(slug) {
    if (!isObject(state.chapters[slug])) state.chapters[slug] = {};
    var record = state.chapters[slug];
    if (!isObject(record.answers)) record.answers = {};
    return record;
  }

  function markRead(slug) {
    var record = chapter(slug);
    if (record.read) return;
    record.read = today();
    save();
  }

  function recordAnswer(slug, detail) {
    var record = chapter(slug);
    record.questions = Number(detail.questions) || record.questions || 0;
    if (!record.answers[detail.question]) {
      record.answers[detail.question] = { answer: String(detail.answer), right: detail.right === true, on: today() };
    }
    save();
  }

  // Answers and "read" from elsewhere (a learning system's suspend_data): kept where none is stored.
  function mergeChapter(slug, other) {
    if (!isObject(other)) return;
    var record = chapter(slug);
    if (other.read && !record.read) record.read = String(other.read);
    if (Number(other.questions) > 0 && !record.questions) record.questions = Number(other.questions);
    if (isObject(other.answers)) {
      Object.keys(other.answers).forEach(function (question) {
        var answer = other.answers[question];
        if (!record.answers[question] && isObject(answer)) {
          record.answers[question] = { answer: String(answer.answer), right: answer.right === true, on: answer.on || today() };
        }
      });
    }
    save();
  }

  // How far a chapter has got: read to the end, questions answered, right at the first try.
  function summary(slug) {
    var record = isObject(state.chapters[slug]) ? state.chapters[slug] : {};
    var answers = isObject(record.answers) ? record.answers : {};
    var ids = Object.keys(answers);
    var questions = Number(record.questions) || 0;
    return {
      read: Boolean(record.read),
      questions: questions,
      answered: ids.length,
      right: ids.filter(function (id) {
        return answers[id].right === true;
      }).length,
      complete: Boolean(record.read) && questions > 0 && ids.length >= questions,
    };
  }

  function markUsed(part, name) {
    if (state[part][name]) return;
    state[part][name] = today();
    save();
  }

  // A CSV cell as the course's spreadsheets write them: never run as a formula, quoted when needed.
  function cell(value) {
    var text = String(value === undefined || value === null ? "" : value);
    if (/^[=+\-@]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csv(rows) {
    return "\ufeff" + rows.map(function (row) {
      return row.map(cell).join(",");
    }).join("\r\n") + "\r\n";
  }

  // The reader's whole record as rows (header first); titles: page name -> title, from the menu.
  function rows(titles) {
    var out = [["Kind", "Page", "Title", "Read to the end", "Questions", "Answered", "Right at the first try", "Date"]];
    Object.keys(state.chapters).sort().forEach(function (slug) {
      var s = summary(slug);
      var record = state.chapters[slug];
      out.push(["chapter", "book/" + slug, titles["book/" + slug] || "", s.read ? "yes" : "no",
        s.questions, s.answered, s.right, record.read || ""]);
    });
    Object.keys(state.tools).sort().forEach(function (name) {
      out.push(["tool used", "book/tools/" + name, titles["book/tools/" + name] || "", "", "", "", "", state.tools[name]]);
    });
    Object.keys(state.exercises).sort().forEach(function (name) {
      out.push(["exercise downloaded", name, "", "", "", "", "", state.exercises[name]]);
    });
    return out;
  }

  function clear() {
    state = empty();
    try {
      window.localStorage.removeItem(KEY);
    } catch (error) {
      storageProblem = (error && error.name) || "blocked";
    }
    listeners.forEach(function (listener) {
      listener(state);
    });
  }

  // Menu links as page names, for the sidebar's "read" marks and the progress page's titles.
  function menuLinks() {
    return Array.prototype.slice.call(document.querySelectorAll(".bd-docs-nav a.reference.internal")).map(function (link) {
      return { link: link, name: pageName(link.href), title: link.textContent.trim() };
    });
  }

  function markMenu() {
    menuLinks().forEach(function (entry) {
      var slug = chapterOf(entry.name);
      var has = entry.link.querySelector(".dh-read-mark");
      if (!slug || !summary(slug).read || has) return;
      var mark = document.createElement("span");
      mark.className = "dh-read-mark";
      mark.style.marginLeft = "0.3em";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = "\u2713";
      var words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = " (read)";
      entry.link.appendChild(mark);
      entry.link.appendChild(words);
    });
  }

  function watchEnd(slug) {
    var article = document.querySelector("article.bd-article");
    if (!article || !("IntersectionObserver" in window)) return;
    var end = document.createElement("div");
    end.className = "dh-chapter-end";
    end.setAttribute("aria-hidden", "true");
    article.appendChild(end);
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        markRead(slug);
      }
    });
    observer.observe(end);
  }

  var here = pageName();
  window.dhProgress = {
    KEY: KEY,
    page: here,
    chapter: chapterOf(here),
    chapterOf: chapterOf,
    pageName: pageName,
    state: function () { return state; },
    storageProblem: function () { return storageProblem; },
    summary: summary,
    mergeChapter: mergeChapter,
    rows: rows,
    csv: csv,
    clear: clear,
    menuLinks: menuLinks,
    onChange: function (listener) { listeners.push(listener); },
  };

  document.addEventListener("dh:self-check-answered", function (event) {
    var slug = chapterOf(here);
    if (slug && event.detail) recordAnswer(slug, event.detail);
  });
  document.addEventListener("dh:exercise-downloaded", function (event) {
    if (event.detail && event.detail.assignment) markUsed("exercises", String(event.detail.assignment));
  });
  document.addEventListener("DOMContentLoaded", function () {
    var slug = chapterOf(here);
    var tool = TOOL.exec(here);
    if (slug) watchEnd(slug);
    if (tool) {
      var used = function () { markUsed("tools", tool[1]); };
      document.querySelectorAll(".dh-live-button").forEach(function (button) {
        button.addEventListener("click", used);
      });
      document.addEventListener("change", function (event) {
        if (event.target.closest && event.target.closest(".dh-live-area")) used();
      });
    }
    markMenu();
    listeners.push(markMenu);
    var page = document.getElementById("dh-progress");
    if (page) showProgressPage(page);
  });

  function table(caption, head, body) {
    var element = document.createElement("table");
    element.className = "table dh-progress-table";
    var captionElement = element.createCaption();
    captionElement.textContent = caption;
    var headRow = element.createTHead().insertRow();
    head.forEach(function (text) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      headRow.appendChild(th);
    });
    var tbody = element.createTBody();
    body.forEach(function (cells) {
      var row = tbody.insertRow();
      cells.forEach(function (cellValue, index) {
        var td = index === 0 ? document.createElement("th") : document.createElement("td");
        if (index === 0) td.scope = "row";
        if (cellValue && cellValue.href) {
          var link = document.createElement("a");
          link.href = cellValue.href;
          link.textContent = cellValue.text;
          td.appendChild(link);
        } else {
          td.textContent = cellValue;
        }
        row.appendChild(td);
      });
    });
    return element;
  }

  function fill(box, element) {
    box.textContent = "";
    if (element) box.appendChild(element);
    else box.innerHTML = "<p>Nothing recorded yet.</p>";
  }

  // The "Your progress" page (book/progress.md): the record as tables, a CSV copy and a clear button.
  function showProgressPage(page) {
    var why = page.querySelector(".dh-progress-why[role=status]");
    var done = page.querySelector(".dh-progress-done");
    var entries = menuLinks();
    var titles = {};
    entries.forEach(function (entry) { titles[entry.name] = entry.title.replace(/\s*\u2713\s*\(read\)$/, ""); });
    var chapters = entries.filter(function (entry) {
      return chapterOf(entry.name) && entry.link.closest("li").classList.contains("toctree-l1");
    });
    var tools = entries.filter(function (entry) { return TOOL.test(entry.name); });

    function render() {
      if (storageProblem) {
        why.hidden = false;
        why.textContent = "This page is empty because your browser is not letting this site keep anything " +
          "(its storage is blocked, for example by a privacy setting). Nothing you do is recorded, " +
          "and every page of the course still works as usual.";
      }
      var chapterRows = chapters.map(function (entry) {
        var s = summary(chapterOf(entry.name));
        return [
          { href: entry.link.href, text: titles[entry.name] },
          s.read ? "Read to the end" : "Not yet",
          s.questions ? s.answered + " of " + s.questions + " answered, " + s.right + " right at the first try" : "Not started",
        ];
      });
      var anyChapter = chapters.some(function (entry) {
        var s = summary(chapterOf(entry.name));
        return s.read || s.answered;
      });
      fill(page.querySelector(".dh-progress-chapters"),
        anyChapter ? table("Chapters: read and self-check", ["Chapter", "Read", "Self-check"], chapterRows) : null);
      var toolRows = tools.filter(function (entry) { return state.tools[TOOL.exec(entry.name)[1]]; }).map(function (entry) {
        return [{ href: entry.link.href, text: titles[entry.name] }, "Used on " + state.tools[TOOL.exec(entry.name)[1]]];
      });
      fill(page.querySelector(".dh-progress-tools"), toolRows.length ? table("Tools used", ["Tool", "When"], toolRows) : null);
      var exerciseRows = Object.keys(state.exercises).sort().map(function (name) {
        return [name, "Downloaded on " + state.exercises[name]];
      });
      fill(page.querySelector(".dh-progress-exercises"),
        exerciseRows.length ? table("Exercises downloaded", ["Exercise", "When"], exerciseRows) : null);
    }

    var clearButton = page.querySelector(".dh-progress-clear");
    var confirmBox = page.querySelector(".dh-progress-confirm");
    function closeConfirm() {
      confirmBox.hidden = true;
      clearButton.setAttribute("aria-expanded", "false");
    }
    page.querySelector(".dh-progress-download").addEventListener("click", function () {
      var blob = new Blob([csv(rows(titles))], { type: "text/csv;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "dementia-and-housing-progress.csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
      done.textContent = "Your progress was downloaded as dementia-and-housing-progress.csv.";
    });
    clearButton.addEventListener("click", function () {
      confirmBox.hidden = false;
      clearButton.setAttribute("aria-expanded", "true");
      confirmBox.querySelector(".dh-progress-clear-yes").focus();
    });
    confirmBox.querySelector(".dh-progress-clear-no").addEventListener("click", function () {
      closeConfirm();
      clearButton.focus();
    });
    confirmBox.querySelector(".dh-progress-clear-yes").addEventListener("click", function () {
      clear();
      closeConfirm();
      clearButton.focus();
      done.textContent = "Your progress was removed from this browser.";
    });
    render();
    listeners.push(render);
  }
})();
