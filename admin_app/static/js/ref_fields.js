// User and customer fields (issue 12): the list filter's value box and the in-place editor look records up as
// you type, through the view's AJAX look-up (the edit form's), instead of listing every record in the page.
(function ($) {
  "use strict";
  if (!$) { return; }
  function lookup(url) {
    return {
      url: url, dataType: "json", quietMillis: 250,
      data: function (term, page) { return {query: term, offset: (page - 1) * 10, limit: 10}; },
      results: function (data) {
        var results = $.map(data, function (v) { return {id: v[0], text: v[1]}; });
        return {results: results, more: results.length === 10};
      }
    };
  }
  var holder = document.getElementById("ref-filters-data");
  var refs = holder ? JSON.parse(holder.textContent) : {};
  function upgradeFilter(input) {
    var found = /^flt\d+_(.+)$/.exec(input.name || "");
    var ref = found && refs[found[1]];
    if (!ref || input.getAttribute("data-ref-ready")) { return; }
    input.setAttribute("data-ref-ready", "1");
    var value = input.value;
    $(input).select2({
      width: "resolve", minimumInputLength: 1, ajax: lookup(ref.url),
      initSelection: function (el, callback) { callback(value ? {id: value, text: ref.labels[value] || value} : null); }
    }).on("change", function () { $("#filter_form button, .filters button").show(); });
  }
  function scanFilters() {
    document.querySelectorAll("input.filter-val").forEach(upgradeFilter);
  }
  function upgradeEditor(a) {
    var $a = $(a);
    $a.editable({
      type: "select2",
      params: function (params) {
        var sent = {list_form_pk: params.pk};
        sent[params.name] = params.value;
        if ($(this).data("csrf")) { sent.csrf_token = $(this).data("csrf"); }
        return sent;
      },
      select2: {
        width: 220, minimumInputLength: 1, ajax: lookup($a.data("lookup")),
        initSelection: function (el, callback) {
          var value = $a.attr("data-value");
          callback(value ? {id: value, text: $a.text()} : null);
        }
      },
      display: function () { return; }
    }).on("save", function (e, params) {
      var picked = $a.data("editable").input.$input.select2("data");
      $a.attr("data-value", params.newValue).text(picked ? picked.text : "");
    });
  }
  $(function () {
    scanFilters();
    var box = document.getElementById("filter_form");
    if (box && window.MutationObserver) { new MutationObserver(scanFilters).observe(box, {childList: true, subtree: true}); }
    document.querySelectorAll("a[data-role=x-editable-ref]").forEach(upgradeEditor);
  });
})(window.jQuery);
