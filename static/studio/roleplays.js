// Studio role-play graph: open a graph wider than its frame with the first node in view
// (the page works without it; the frame scrolls sideways either way).
(function () {
  "use strict";

  function showStart(root) {
    (root || document).querySelectorAll(".graph-scroll").forEach(function (frame) {
      var start = frame.querySelector(".graph-node.is-start");
      if (!start || frame.scrollWidth <= frame.clientWidth) return;
      var box = start.getBBox();
      var match = /translate\(([-\d.]+)/.exec(start.getAttribute("transform") || "");
      var x = match ? parseFloat(match[1]) : box.x;
      frame.scrollLeft = Math.max(0, x + box.width / 2 - frame.clientWidth / 2);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { showStart(document); });
  // The editor redraws the graph as the trainer edits; keep the place they were looking at.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var frame = event.detail.target.querySelector(".graph-scroll");
    if (frame) event.detail.target.dataset.scrollLeft = String(frame.scrollLeft);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var frame = event.detail.target.querySelector(".graph-scroll");
    var kept = event.detail.target.dataset.scrollLeft;
    if (frame && kept) frame.scrollLeft = parseFloat(kept);
  });
})();
