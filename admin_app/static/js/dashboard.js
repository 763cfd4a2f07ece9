// Draw the dashboard charts from the JSON the page embeds; a click on a bar opens the list behind it.
(function () {
  "use strict";
  function go(urls) {
    return function (event, elements) {
      if (!elements.length) { return; }
      var el = elements[0];
      var url = Array.isArray(urls[0]) ? urls[el.datasetIndex][el.index] : urls[el.index];
      if (url) { window.location.href = url; }
    };
  }
  document.addEventListener("DOMContentLoaded", function () {
    var node = document.getElementById("dashboard-data");
    if (!node || !window.Chart) { return; }
    var data = JSON.parse(node.textContent);
    var c = data.complaints;
    new window.Chart(document.getElementById("complaints-chart"), {
      type: "bar",
      data: { labels: c.labels, datasets: c.datasets.map(function (d) { return { label: d.label, data: d.data }; }) },
      // the box sets the height (CSS): a phone-wide canvas keeps readable bars instead of a 10 px strip
      options: { maintainAspectRatio: false,
                 scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
                 onClick: go(c.datasets.map(function (d) { return d.urls; })) }
    });
    var g = data.grades;
    new window.Chart(document.getElementById("grades-chart"), {
      type: "doughnut", data: { labels: g.labels, datasets: [{ data: g.data }] }, options: { onClick: go(g.urls) }
    });
    var s = data.satisfaction;
    if (s) {
      new window.Chart(document.getElementById("satisfaction-chart"), {
        type: "line",
        data: { labels: s.labels, datasets: [
          { label: "%", data: s.rates, spanGaps: true },
          { label: "≥ " + data.target + "%", data: s.labels.map(function () { return data.target; }),
            borderDash: [6, 4], pointRadius: 0 }
        ] },
        options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } }
      });
    }
  });
})();
