// Re-attach Flask-Admin's inline onclick handlers (renamed data-csp-onclick by the server) as listeners,
// because the CSP blocks inline script.
(function () {
  "use strict";
  function unquote(text) { return text.replace(/\\'/g, "'").replace(/\\\\/g, "\\"); }
  function bind(el) {
    var code = el.getAttribute("data-csp-onclick") || el.getAttribute("onclick") || "";
    var action = code.match(/modelActions\.execute\('((?:[^'\\]|\\.)*)'\)/);
    var question = code.match(/safeConfirm\('((?:[^'\\]|\\.)*)'\)/);
    el.removeAttribute("onclick");
    el.setAttribute("data-csp-onclick", code);  // kept for tests and debugging; never executed as code
    if (el.getAttribute("data-csp-bound")) { return; }
    el.setAttribute("data-csp-bound", "1");
    el.addEventListener("click", function (event) {
      if (action) { event.preventDefault(); window.modelActions.execute(unquote(action[1])); }
      else if (question) { if (!window.confirm(unquote(question[1]))) { event.preventDefault(); } }
      else if (/return false/.test(code) || el.hasAttribute("data-csp-noop")) { event.preventDefault(); }
    });
  }
  function bindAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-csp-onclick], [onclick], [data-csp-noop]"), bind);
  }
  // this file loads at the end of <body>: bind now, before other ready-handlers touch the attributes
  bindAll();
  document.addEventListener("DOMContentLoaded", bindAll);
})();

// x-editable (the list's in-place editors) reads its JSON data attributes, such as a drop-down's choices,
// with new Function(), which the CSP forbids: the choices then stayed a string, taken for a URL. Read them
// as JSON instead. This ready-handler is registered before Flask-Admin's, so it runs before the editors start.
if (window.jQuery) {
  window.jQuery(function ($) {
    var utils = $.fn.editableutils;
    if (!utils) { return; }
    utils.tryParseJson = function (text, safe) {
      if (typeof text !== "string" || !/^[\{\[].*[\}\]]$/.test(text)) { return text; }
      try { return JSON.parse(text); } catch (error) { if (!safe) { throw error; } return text; }
    };
  });
}
