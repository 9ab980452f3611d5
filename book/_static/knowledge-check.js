// The knowledge check's hand-in. The form works without script (answer on screen, or print it
// and answer on paper). With script, "Make my hand-in" turns the form into the participant's
// CSV row, in the format dementia_housing.trainers.cohort reads (a header line
// "participant,sitting,<question ids in bank order>", then one row: answers A to D, blank =
// not answered), shows it to copy and offers it as a download from a data: address.
// Nothing is sent anywhere and nothing is stored: the answers are gone when the page closes.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.dh-knowledge-check").forEach(function (form) {
    var ids = form.dataset.questions.split(" ").filter(Boolean);
    var handin = form.querySelector(".dh-kc-handin");
    var button = form.querySelector(".dh-kc-make");
    var status = form.querySelector(".dh-kc-status");
    var result = form.querySelector(".dh-kc-result");
    var output = form.querySelector(".dh-kc-output");
    var download = form.querySelector(".dh-kc-download");
    var participant = form.querySelector("#dh-kc-participant");
    var participantError = form.querySelector("#dh-kc-participant-error");
    var sittingError = form.querySelector("#dh-kc-sitting-error");
    if (!handin || !button) return;
    handin.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    function cell(text) {
      return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }
    function checked(name) {
      var boxes = form.querySelectorAll('input[type="radio"]');
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].name === name && boxes[i].checked) return boxes[i].value;
      }
      return "";
    }
    function listed(numbers) {
      if (numbers.length === 1) return "question " + numbers[0];
      return "questions " + numbers.slice(0, -1).join(", ") + " and " + numbers[numbers.length - 1];
    }
    function clearResult() {
      result.hidden = true;
      output.value = "";
      download.setAttribute("href", "#");
    }

    participant.addEventListener("input", function () {
      if (participant.value.trim()) {
        participantError.textContent = "";
        participant.removeAttribute("aria-invalid");
      }
    });
    form.querySelectorAll('input[name="sitting"]').forEach(function (box) {
      box.addEventListener("change", function () { sittingError.textContent = ""; });
    });
    form.addEventListener("change", function () { if (!result.hidden) clearResult(); });

    button.addEventListener("click", function () {
      var who = participant.value.trim();
      var when = checked("sitting");
      participantError.textContent = who ? "" : "Enter your pseudonym or learner number.";
      sittingError.textContent = when ? "" : "Choose before or after the workshop.";
      if (who) participant.removeAttribute("aria-invalid"); else participant.setAttribute("aria-invalid", "true");
      if (!who || !when) {
        clearResult();
        status.textContent = "Your hand-in is not made yet: see the message beside the field above.";
        (who ? form.querySelector('input[name="sitting"]') : participant).focus();
        return;
      }
      var answers = ids.map(checked);
      var missing = [];
      answers.forEach(function (answer, i) { if (!answer) missing.push(i + 1); });
      var text =
        ["participant", "sitting"].concat(ids).map(cell).join(",") + "\n" +
        [who, when].concat(answers).map(cell).join(",") + "\n";
      output.value = text;
      var safe = who.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "participant";
      download.setAttribute("download", "knowledge-check-" + safe + "-" + when + ".csv");
      download.setAttribute("href", "data:text/csv;charset=utf-8," + encodeURIComponent(text));
      result.hidden = false;
      var said = "Your hand-in is ready below: copy it, or download it, and give it to your trainer as they ask.";
      if (missing.length) {
        said += " You have not answered " + listed(missing) + ": that is fine, " +
          (missing.length === 1 ? "it counts" : "they count") + " as not answered.";
      }
      status.textContent = said;
    });
  });
});
