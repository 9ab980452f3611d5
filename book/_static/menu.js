// The menu button on phones and narrow windows. pydata-sphinx-theme 0.17 binds its sidebar
// dialog to the first ".primary-toggle" on the page. Its own header (with a hidden button of its
// own) used to come first, so the book theme's visible button only showed a tooltip and the
// menu never opened (pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme#988).
// With navbar_persistent: [] (_config.yml) that header is empty and the visible button is first;
// should a theme update bring a second button back, every other one passes its press on.
document.addEventListener("DOMContentLoaded", function () {
  var toggles = document.querySelectorAll(".primary-toggle");
  var bound = toggles[0];
  toggles.forEach(function (button) {
    if (button === bound) return;
    button.setAttribute("aria-label", "Site navigation");
    button.removeAttribute("data-bs-toggle"); // no tooltip in place of the menu
    button.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      bound.click();
    });
  });
});

// A chapter with pages of its own (chapter 6 and its data page) gets a show/hide toggle in the
// menu whose <summary> holds only an icon: give it a name, so screen readers can say what it
// opens (axe: summary-name).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".bd-sidenav li.has-children > details > summary").forEach(function (toggle) {
    if (toggle.textContent.trim()) return;
    var link = toggle.closest("li").querySelector(":scope > a");
    if (link) toggle.setAttribute("aria-label", "Show or hide the pages in " + link.textContent.trim());
  });
});
