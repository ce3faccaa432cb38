/* Import page: follow GET /api/v1/log-import/status/{id} once a second (the staff session
 * authenticates it) and move the progress bar until the batch is done or failed. */
(function () {
  "use strict";

  var box = document.querySelector("[data-status-url]");
  if (!box) return;
  var bar = box.querySelector("[data-progress-bar]");
  var meter = box.querySelector("[role=progressbar]");
  var percent = box.querySelector("[data-progress-percent]");
  var state = box.querySelector("[data-progress-state]");
  var detail = box.querySelector("[data-progress-detail]");
  var error = box.querySelector("[data-progress-error]");

  function show(status) {
    bar.style.width = status.percent + "%";
    meter.setAttribute("aria-valuenow", status.percent);
    percent.textContent = status.percent + " %";
    state.textContent = status.state.charAt(0).toUpperCase() + status.state.slice(1);
    var text = status.lines + " lines, " + status.sessions_created + " sessions, " +
      status.events_created + " events, " + status.malformed_count + " malformed";
    if (status.estimated_seconds_left !== null) {
      text += ", about " + Math.ceil(status.estimated_seconds_left) + " s left";
    }
    detail.textContent = text;
    if (status.error) {
      error.textContent = status.error;
      error.hidden = false;
    }
    box.dataset.state = status.state;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.state !== "done" && status.state !== "failed") setTimeout(poll, 1000);
      })
      .catch(function (reason) {
        error.textContent = "Progress unavailable: " + reason.message;
        error.hidden = false;
        setTimeout(poll, 1000);
      });
  }

  poll();
})();
