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

// Flask-Admin starts its date pickers in English with weeks from Sunday. On a Chinese page give them Chinese
// month and day names and weeks from Monday, as Chinese calendars have them. Registered before Flask-Admin's
// ready-handler, which creates the pickers.
if (window.jQuery) {
  window.jQuery(function ($) {
    var original = $.fn.daterangepicker;
    var chinese = /^zh/i.test(document.documentElement.lang || "");
    if (!original || !chinese) { return; }
    var locale = {
      applyLabel: "确定", cancelLabel: "取消", fromLabel: "从", toLabel: "至", weekLabel: "周",
      customRangeLabel: "自定义", firstDay: 1,
      daysOfWeek: ["日", "一", "二", "三", "四", "五", "六"],
      monthNames: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"]
    };
    $.fn.daterangepicker = function (options, callback) {
      return original.call(this, $.extend(true, {locale: locale}, options || {}), callback);
    };
  });
}
