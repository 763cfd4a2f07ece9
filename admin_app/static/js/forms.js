// Forms that fit: a collapsed section opens when the browser finds one of its fields invalid on submit,
// so the message shows beside the field instead of a silent refusal to submit.
(function () {
  "use strict";
  document.addEventListener("invalid", function (event) {
    var section = event.target.closest && event.target.closest("details.form-section");
    if (section && !section.open) { section.open = true; }
  }, true);
})();
