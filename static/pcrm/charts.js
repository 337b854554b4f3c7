// Charts on staff pages. Each <canvas data-chart="bar|line" data-source="ID"> reads its
// numbers from the json_script element ID ({"labels": [...], "values": [...]}); the page's
// table next to it holds the same numbers for screen readers and printing.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  // labels in the page's own (Korean) font: a canvas has no fallback of its own, so the
  // charts are drawn once the web font has loaded
  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  var ready = document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve();
  ready.then(draw);

  function draw() {
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.source);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var scale = { min: 0 };
    if (canvas.dataset.max) scale.max = Number(canvas.dataset.max);
    var known = data.values.filter(function (v) { return v !== null; });
    if (canvas.dataset.chart === "line" && known.length) {
      // a line is read by its changes: the axis spans the data (with a margin), within
      // the scale; bars keep their zero
      var low = Math.floor(Math.min.apply(null, known) / 5) * 5 - 5;
      var high = Math.ceil(Math.max.apply(null, known) / 5) * 5 + 5;
      scale.min = Math.max(0, low);
      if (scale.max === undefined || high < scale.max) scale.max = high;
    }
    new Chart(canvas, {
      type: canvas.dataset.chart,
      data: {
        labels: data.labels,
        datasets: [{
          label: canvas.dataset.label || "",
          data: data.values,
          backgroundColor: "#256ef4",
          borderColor: "#256ef4",
          spanGaps: true
        }]
      },
      options: {
        // wide and low (data-ratio: width over height): a chart sits above its table
        aspectRatio: Number(canvas.dataset.ratio || 3),
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: scale }
      }
    });
  });
  }
})();
