// Lists that fit (issue 13): the whole text of a cut-off cell on hover, and on a phone each row as a card
// whose cells carry their column's label. The view names its key fields in <meta name="card-columns">.
(function () {
  "use strict";
  // In-place editors, prepared before Flask-Admin's form.js starts them (it loads after this script):
  // a drop-down of related records (owner ...) finds its current choice by "id", and Flask-Admin's options
  // carry only "value", so without this the cell shows "--------" instead of the owner's name; an empty
  // cell shows a dash rather than x-editable's English "Empty".
  document.querySelectorAll("a[data-role^='x-editable']").forEach(function (a) {
    if (!a.hasAttribute("data-emptytext")) { a.setAttribute("data-emptytext", "—"); }
    if (a.getAttribute("data-type") !== "select2") { return; }
    try {
      var source = JSON.parse(a.getAttribute("data-source") || "[]");
      source.forEach(function (item) { if (item.id === undefined) { item.id = item.value; } });
      a.setAttribute("data-source", JSON.stringify(source));
    } catch (ignored) { /* not a list of options: leave it to x-editable */ }
  });
  function columnOf(cell) {
    var found = /(?:^|\s)col-([\w-]+)/.exec(cell.className);
    return found ? found[1] : null;
  }
  function prepare(table) {
    var labels = {};
    table.querySelectorAll("thead th").forEach(function (th) {
      var name = columnOf(th);
      if (name) { labels[name] = th.textContent.trim(); }
    });
    var meta = document.querySelector("meta[name=card-columns]");
    var key = meta ? meta.getAttribute("content").split(/\s+/).filter(Boolean) : [];
    table.querySelectorAll("tbody td").forEach(function (td) {
      var name = columnOf(td);
      if (!name) { return; }
      if (labels[name]) { td.setAttribute("data-label", labels[name]); }
      if (key.length && key.indexOf(name) < 0) { td.classList.add("card-extra"); }
      if (key.length && key[0] === name) { td.classList.add("card-title"); }
    });
  }
  function titles(table) {
    table.querySelectorAll("tbody td").forEach(function (td) {
      if (td.scrollWidth > td.clientWidth && !td.title) { td.title = td.textContent.trim(); }
    });
  }
  function highlight() {
    // the rows just created, saved or acted on (views/place.py adds ?highlight=<id>[,<id>...] to the list)
    var wanted = (new URLSearchParams(window.location.search).get("highlight") || "").split(",");
    var first = null, missing = false;
    wanted.forEach(function (id) {
      id = id.replace(/\D/g, "");
      var box = id && (document.querySelector("input.action-checkbox[value='" + id + "']") ||
        document.querySelector("table.model-list tbody a[href*='details/?id=" + id + "&'], " +
                               "table.model-list tbody a[href$='details/?id=" + id + "']"));
      var row = box && box.closest("tr");
      if (row) { row.classList.add("table-info", "row-touched"); first = first || row; } else if (id) { missing = true; }
    });
    var note = document.getElementById("highlight-missing");
    if (missing && note) { note.classList.remove("d-none"); }
    if (first) { first.scrollIntoView({block: "center"}); }
  }
  function rowLinks() {
    // a row with data-href opens on a click anywhere in it (My work); links and buttons in it keep their own
    document.querySelectorAll("tr[data-href]").forEach(function (row) {
      row.addEventListener("click", function (event) {
        if (event.target.closest("a, button, input, select, textarea, label")) { return; }
        window.location.href = row.getAttribute("data-href");
      });
    });
  }
  function run() {
    rowLinks();
    document.querySelectorAll("table.model-list").forEach(function (table) { prepare(table); titles(table); });
    highlight();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
})();
