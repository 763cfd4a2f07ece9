// Lists that fit (issue 13): the whole text of a cut-off cell on hover, and on a phone each row as a card
// whose cells carry their column's label. The view names its key fields in <meta name="card-columns">.
(function () {
  "use strict";
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
    var first = null;
    wanted.forEach(function (id) {
      id = id.replace(/\D/g, "");
      var box = id && document.querySelector("input.action-checkbox[value='" + id + "']");
      var row = box && box.closest("tr");
      if (row) { row.classList.add("table-info", "row-touched"); first = first || row; }
    });
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
