// Attempt page: step reordering without drag-and-drop, the progress count and the timer.
// The page works without this script (number selects, plain submit); the server holds the clock.
(function () {
  "use strict";
  const form = document.getElementById("quiz-form");
  if (!form) return;
  const announce = form.querySelector("[data-announce]");

  function say(text) {
    if (announce) announce.textContent = text;
  }

  // --- order the steps ---------------------------------------------------------------------
  function renumber(list) {
    list.querySelectorAll("[data-step]").forEach(function (step, index) {
      step.querySelector("select").value = String(index + 1);
    });
  }

  function moved(list, step) {
    renumber(list);
    list.querySelectorAll(".just-moved").forEach(function (el) { el.classList.remove("just-moved"); });
    step.classList.add("just-moved");
    const position = Array.prototype.indexOf.call(list.children, step) + 1;
    say(step.querySelector(".step-text").textContent + " → " + position);
  }

  form.querySelectorAll("[data-steps]").forEach(function (list) {
    list.querySelectorAll(".step-moves").forEach(function (el) { el.hidden = false; });

    list.addEventListener("click", function (event) {
      const button = event.target.closest("[data-move]");
      if (!button) return;
      const step = button.closest("[data-step]");
      const delta = Number(button.dataset.move);
      const sibling = delta < 0 ? step.previousElementSibling : step.nextElementSibling;
      if (!sibling) return;
      list.insertBefore(step, delta < 0 ? sibling : sibling.nextElementSibling);
      moved(list, step);
      button.focus();
      // Tell htmx (listening on the fieldset) that the answer changed, so it is saved.
      list.dispatchEvent(new Event("change", { bubbles: true }));
    });

    // Runs before the event reaches the fieldset, so htmx saves the reordered list.
    list.addEventListener("change", function (event) {
      const select = event.target.closest("select");
      if (!select) return;
      const step = select.closest("[data-step]");
      const steps = Array.prototype.slice.call(list.children);
      const target = Math.min(Math.max(Number(select.value), 1), steps.length);
      steps.splice(steps.indexOf(step), 1);
      steps.splice(target - 1, 0, step);
      steps.forEach(function (el) { list.appendChild(el); });
      moved(list, step);
      select.focus();
    });
  });

  // --- progress ----------------------------------------------------------------------------
  const questions = form.querySelectorAll("[data-question]");
  const countEl = form.querySelector("[data-answered-count]");
  const bar = form.querySelector("[data-progress]");

  function refreshProgress() {
    let answered = 0;
    questions.forEach(function (q) { if (q.dataset.answered === "1") answered += 1; });
    if (countEl) countEl.textContent = String(answered);
    if (bar) bar.style.width = Math.round((100 * answered) / Math.max(questions.length, 1)) + "%";
  }

  questions.forEach(function (q) {
    q.addEventListener("change", function () {
      const picked = q.querySelector("input:checked") || q.querySelector("[data-steps]");
      q.dataset.answered = picked ? "1" : "0";
      refreshProgress();
    });
  });

  // --- submit once -------------------------------------------------------------------------
  let submitting = false;
  form.addEventListener("submit", function (event) {
    if (submitting) { event.preventDefault(); return; }
    submitting = true;
    form.querySelectorAll("[data-submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
  });

  // --- timer: count down from the server's remaining seconds -------------------------------
  const timer = form.querySelector("[data-seconds-left]");
  if (!timer) return;
  const text = timer.querySelector("[data-timer-text]");
  const endsAt = performance.now() + Number(timer.dataset.secondsLeft) * 1000;

  function tick() {
    const left = Math.max(0, Math.round((endsAt - performance.now()) / 1000));
    text.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    timer.classList.toggle("is-low", left <= 60);
    if (left === 60) say(text.textContent);
    if (left <= 0) {
      clearInterval(handle);
      // The server decides: on time it takes these answers, late it keeps what was saved.
      if (!submitting) form.requestSubmit();
    }
  }
  const handle = setInterval(tick, 1000);
  tick();
})();
