// After a failed submission, move the focus to the error summary so that
// keyboard and screen reader users start from the list of what to correct.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
