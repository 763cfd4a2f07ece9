// Draws the survey charts from the JSON block the page embeds; the seed targets are dashed horizontal lines.
(function () {
  "use strict";
  var source = document.getElementById("survey-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#1a9850", "#91cf60", "#d9ef8b", "#fc8d59", "#d73027"];
  var targets = [
    { value: data.targets.satisfaction, colour: "#d73027", label: data.labels.target_satisfaction },
    { value: data.targets.response[0], colour: "#f46d43", label: data.labels.target_response_low },
    { value: data.targets.response[1], colour: "#fdae61", label: data.labels.target_response_high }
  ];

  // a dashed line across the chart at each target value of the percentage axis, labelled at its right end
  var targetLines = {
    id: "targetLines",
    afterDatasetsDraw: function (chart, args, options) {
      var scale = chart.scales[options.axis || "y"], area = chart.chartArea, ctx = chart.ctx;
      (options.lines || []).forEach(function (line, i) {
        var pos = scale.getPixelForValue(line.value);
        ctx.save();
        ctx.strokeStyle = line.colour;
        ctx.setLineDash([6, 4]);
        ctx.lineWidth = 2;
        ctx.beginPath();
        if (options.axis === "x") { ctx.moveTo(pos, area.top); ctx.lineTo(pos, area.bottom); }
        else { ctx.moveTo(area.left, pos); ctx.lineTo(area.right, pos); }
        ctx.stroke();
        ctx.fillStyle = line.colour;
        ctx.font = "11px sans-serif";
        if (options.axis === "x") { ctx.fillText(line.label, pos + 3, area.top + 10 + 12 * i); }
        else { ctx.textAlign = "right"; ctx.fillText(line.label, area.right - 4 - 150 * i, pos - 4); }
        ctx.restore();
      });
    }
  };

  var months = document.getElementById("chart-months");
  if (months && data.months.length) {
    new Chart(months, {
      type: "bar",
      plugins: [targetLines],
      data: { labels: data.months, datasets: [
        { label: data.labels.satisfaction, data: data.satisfaction, backgroundColor: "#4575b4" },
        { label: data.labels.response, data: data.response, backgroundColor: "#abd9e9" }
      ] },
      options: { scales: { y: { min: 0, max: 100 } }, plugins: { targetLines: { lines: targets } } }
    });
  }

  var rates = document.getElementById("chart-rates");
  if (rates && data.rates.values.length) {
    new Chart(rates, {
      type: "bar",
      plugins: [targetLines],
      data: { labels: data.rates.labels,
              datasets: [{ label: data.labels.satisfaction, data: data.rates.values,
                           backgroundColor: data.rates.colours }] },
      options: { indexAxis: "y", scales: { x: { min: 0, max: 100 } },
                 plugins: { legend: { display: false }, targetLines: { axis: "x", lines: targets } } }
    });
  }

  var overall = document.getElementById("chart-overall");
  if (overall && data.overall.length) {
    new Chart(overall, { type: "doughnut",
      data: { labels: data.levels, datasets: [{ data: data.overall, backgroundColor: colours }] } });
  }

  var items = document.getElementById("chart-items");
  if (items && data.items.length) {
    new Chart(items, {
      type: "bar",
      data: { labels: data.items.map(function (i) { return i.text; }),
              datasets: data.levels.map(function (level, k) {
                return { label: level, data: data.items.map(function (i) { return i.counts[k]; }),
                         backgroundColor: colours[k] };
              }) },
      options: { indexAxis: "y", scales: { x: { stacked: true }, y: { stacked: true } } }
    });
  }
})();
