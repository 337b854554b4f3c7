// Bar charts on staff pages: the data comes from a json_script element next to the canvas;
// the page's table holds the same numbers for screen readers and printing.
(function () {
  "use strict";
  var canvas = document.getElementById("results-chart");
  var source = document.getElementById("results-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: canvas.dataset.label || "", data: data.values, backgroundColor: "#256ef4" }]
    },
    options: {
      animation: false,
      plugins: { legend: { display: false } },
      scales: { y: { min: 0, max: 100 } }
    }
  });
})();
