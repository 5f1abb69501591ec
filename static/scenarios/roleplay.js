// Role-play turn: the countdown, the end of the grace, sending once, Ctrl+Enter.
// The server holds the clock: the page counts down from the seconds the server said were left
// (measured with the monotonic performance clock, never the wall clock of this computer), and
// once the deadline and its grace have passed it asks the server, which decides the timeout.
(function () {
  "use strict";
  // Hanging up loses the call in progress: ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  const panel = document.querySelector("[data-turn-clock]");
  if (!panel) return;
  const timer = panel.querySelector("[data-seconds-left]");
  const text = panel.querySelector("[data-timer-text]");
  const bar = panel.querySelector("[data-timer-bar]");
  const timeUp = panel.querySelector("[data-time-up]");
  const announce = panel.querySelector("[data-announce]");
  const form = panel.querySelector("form");
  const textarea = form.querySelector("textarea");

  const total = Math.max(Number(timer.dataset.total) || 1, 1);
  const grace = Number(timer.dataset.grace) || 0;
  const endsAt = performance.now() + Number(timer.dataset.secondsLeft) * 1000;
  let warned = false;
  let sending = false;

  function format(seconds) {
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  function askServer(delay) {
    // The server times the turn out (or not yet, if this clock ran fast): reload when it did.
    window.setTimeout(function () {
      fetch(timer.dataset.stateUrl, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) {
          if (response.headers.get("HX-Refresh") === "true") window.location.reload();
          else if (!sending) askServer(Math.min(delay * 2, 5000));
        })
        .catch(function () { askServer(5000); });
    }, delay);
  }

  function tick() {
    const left = Math.max(0, (endsAt - performance.now()) / 1000);
    text.textContent = format(Math.ceil(left));
    if (bar) bar.style.width = (100 * left / total).toFixed(1) + "%";
    panel.classList.toggle("is-low", left <= 10);
    if (!warned && left <= 10 && left > 0) {
      warned = true;
      if (announce) announce.textContent = announce.dataset.lowText;
    }
    if (left <= 0) {
      panel.classList.add("is-over");
      if (timeUp) timeUp.hidden = false;
    }
    if (performance.now() >= endsAt + grace * 1000) {
      window.clearInterval(handle);
      if (!sending) askServer(300);
    }
  }
  const handle = window.setInterval(tick, 250);
  tick();

  // htmx sends the form (and drops a second send); the clock stops once the reply is on its way.
  form.addEventListener("submit", function () {
    sending = true;
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== form) return;
    if (event.detail.successful) window.clearInterval(handle);
    else sending = false;  // not sent: the clock and its timeout check carry on
  });

  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // Resume where the learner left off: the caret after the saved draft.
  if (document.activeElement === textarea || !document.activeElement || document.activeElement === document.body) {
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }
})();
