/* Industry patent database: import progress and analysis charts. No inline scripts (CSP). */
(function () {
  "use strict";

  function setPercent(box, percent) {
    var bar = box.querySelector(".progress-bar");
    if (!bar) { return; }
    bar.style.width = percent + "%";
    bar.textContent = percent + " %";
    var wrap = bar.parentElement;
    if (wrap) { wrap.setAttribute("aria-valuenow", String(percent)); }
  }

  function pollImport(box) {
    var url = box.getAttribute("data-progress-url");
    setPercent(box, parseInt(box.querySelector(".progress-bar").getAttribute("data-percent"), 10) || 0);
    if (box.getAttribute("data-finished") === "true") { return; }
    var delay = 1000;
    function tick() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (data) {
          ["status_label", "processed", "total", "created", "updated", "unchanged", "errors", "message"].forEach(function (name) {
            var el = box.querySelector('[data-field="' + name + '"]');
            if (el) { el.textContent = data[name]; }
          });
          setPercent(box, data.percent);
          if (data.finished) {
            if (data.errors > 0) { window.location.reload(); }
            return;
          }
          window.setTimeout(tick, delay);
        })
        .catch(function () {
          delay = Math.min(delay * 2, 15000);
          window.setTimeout(tick, delay);
        });
    }
    window.setTimeout(tick, delay);
  }

  var COLOURS = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#6c757d", "#ffc107", "#0dcaf0", "#d63384"];

  function drawChart(canvas) {
    if (typeof window.Chart === "undefined") { return; }
    var spec;
    try { spec = JSON.parse(canvas.getAttribute("data-chart")); } catch (e) { return; }
    var type = spec.type === "hbar" ? "bar" : spec.type;
    var datasets = spec.series.map(function (s, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: s.label,
        data: s.data,
        backgroundColor: type === "doughnut" ? COLOURS : colour,
        borderColor: type === "doughnut" ? "#fff" : colour,
        fill: false,
        tension: 0.2
      };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: spec.type === "hbar" ? "y" : "x",
      plugins: { legend: { display: type === "doughnut" || datasets.length > 1 } }
    };
    if (spec.type === "hbar") {
      /* Every bar keeps its name (long applicant names are cut, the tooltip has them whole): the box
         grows with the number of bars instead of Chart.js skipping every other label. */
      canvas.parentNode.style.height = Math.max(288, spec.labels.length * 26 + 60) + "px";
      options.scales = { y: { ticks: { autoSkip: false, callback: function (value) {
        var text = this.getLabelForValue(value);
        return text.length > 18 ? text.slice(0, 17) + "…" : text;
      } } } };
    }
    new window.Chart(canvas, { type: type, data: { labels: spec.labels, datasets: datasets }, options: options });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("import-progress");
    if (box) { pollImport(box); }
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), drawChart);
  });
})();
