// The dashboard: refresh the queue, the workers and the counted results every two seconds.
// Every value is set with textContent (student ids are student-chosen text).
(function () {
  function cell(row, text) {
    const td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
  }
  function fill(tbody, rows) {
    const fresh = document.createElement("tbody");
    rows.forEach((values) => {
      const tr = document.createElement("tr");
      values.forEach((v) => cell(tr, v));
      fresh.appendChild(tr);
    });
    tbody.replaceWith(fresh);
  }
  async function refresh() {
    try {
      const answer = await fetch("/dashboard/live.json", {credentials: "same-origin"});
      if (answer.ok) {
        const data = await answer.json();
        for (const key of ["queued", "running", "done", "failed"]) {
          document.getElementById(key).textContent = data.queue[key];
        }
        document.getElementById("workers-alive").textContent = data.workers_alive;
        document.getElementById("workers-busy").textContent = data.workers_busy;
        fill(document.querySelector("#workers tbody"), data.workers.map((w) => [
          w.host, w.pid, w.state, w.job === null ? "" : w.job, w.load, w.graded, `${w.last_heartbeat_ago} s ago`,
        ]));
        for (const group of data.classes) {
          const table = document.getElementById(`class-${group.assignment}`);
          if (!table) continue;
          fill(table.querySelector("tbody"), group.students.map((s) => [
            s.student, `${s.score} / ${s.max_score}`, ...s.exercises.map((v) => (v === null ? "" : v)),
          ]));
        }
      }
    } catch (e) { /* keep trying */ }
    setTimeout(refresh, 2000);
  }
  setTimeout(refresh, 2000);
})();
