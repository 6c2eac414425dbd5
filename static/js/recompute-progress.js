// Follows a savings recompute to its end: polls the run's status every second and updates the
// progress bar; no inline script (the pages run under a strict Content-Security-Policy).
(function () {
  "use strict";
  var box = document.getElementById("recompute-progress");
  if (!box || box.dataset.finished === "true") {
    return;
  }
  var bar = box.querySelector(".progress-bar");
  var progress = box.querySelector(".progress");
  function field(name) {
    return box.querySelector('[data-field="' + name + '"]');
  }
  function show(run) {
    bar.style.width = run.percent + "%";
    bar.textContent = run.percent + "%";
    progress.setAttribute("aria-valuenow", String(run.percent));
    field("label").textContent = run.label;
    field("steps").textContent = run.steps_done + "/" + run.steps_total;
    field("error").textContent = run.error || "";
    if (run.finished) {
      box.dataset.finished = "true";
    }
  }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (run) {
        if (run) {
          show(run);
        }
        if (!run || !run.finished) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }
  poll();
})();
