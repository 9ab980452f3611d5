// Self-checks: a running tally. The questions work without script (each option opens to show
// its feedback); with script, the first option a reader opens in a question counts as their
// answer, and the line under the questions says how many are answered and how many were right
// at the first try. The tally is gone when the page closes; each first answer is also announced
// (a "dh:self-check-answered" event) for the reader's progress record, book/_static/progress.js.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".dh-self-check").forEach(function (bank) {
    var tally = bank.querySelector(".dh-tally");
    if (!tally) return;
    var total = Number(tally.dataset.questions);
    var answered = 0;
    var right = 0;
    function show() {
      tally.hidden = false;
      tally.textContent =
        "So far: " + answered + " of " + total + " questions answered, " + right +
        " right at the first try. Open the other options too: each one explains something.";
    }
    bank.querySelectorAll(".dh-question").forEach(function (question) {
      question.querySelectorAll("details.dh-option").forEach(function (option) {
        option.addEventListener("toggle", function () {
          if (!option.open || question.dataset.answered) return;
          question.dataset.answered = option.dataset.correct;
          answered += 1;
          if (option.dataset.correct === "true") right += 1;
          show();
          // For book/_static/progress.js (kept in this browser only, or passed to a learning system).
          var summary = option.querySelector("summary");
          document.dispatchEvent(new CustomEvent("dh:self-check-answered", {
            detail: {
              question: question.id,
              answer: summary ? summary.textContent.trim().charAt(0) : "",
              right: option.dataset.correct === "true",
              questions: total,
            },
          }));
        });
      });
    });
  });
});
