// One submission's page: ask for its status until it is graded, then reload to show the
// feedback. Each question waits on the service up to 5 s (?wait=5: answered the moment the
// result is stored), so the page learns of the result at once and the queue position still
// moves; at most one question a second. Text is set with textContent only (never HTML).
(function () {
  const box = document.getElementById("status");
  if (!box) return;
  const id = box.dataset.id;
  let shown = box.dataset.status;
  if (shown === "done" || shown === "failed") return;
  async function look() {
    const asked = Date.now();
    try {
      const answer = await fetch(`/submissions/${id}/status.json?wait=5`, {credentials: "same-origin"});
      if (answer.ok) {
        const state = await answer.json();
        document.getElementById("status-text").textContent = state.status;
        document.getElementById("position").textContent =
          state.status === "queued" ? `(position ${state.position} in the queue)` : "";
        if (state.status !== shown && (state.status === "done" || state.status === "failed")) {
          window.location.reload();
          return;
        }
        shown = state.status;
      }
    } catch (e) { /* the service may be restarting: keep asking */ }
    setTimeout(look, Math.max(0, 1000 - (Date.now() - asked)));
  }
  setTimeout(look, 200);
})();
