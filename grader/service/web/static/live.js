// One submission's page: ask for its status every second until it is graded, then reload to
// show the feedback. Text is set with textContent only (never HTML).
(function () {
  const box = document.getElementById("status");
  if (!box) return;
  const id = box.dataset.id;
  let shown = box.dataset.status;
  if (shown === "done" || shown === "failed") return;
  async function look() {
    try {
      const answer = await fetch(`/submissions/${id}/status.json`, {credentials: "same-origin"});
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
    setTimeout(look, 1000);
  }
  setTimeout(look, 500);
})();
