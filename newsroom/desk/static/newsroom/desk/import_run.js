// The Import sources run page: ask the run's status every second and show each line's
// outcome as the import reaches it; once it is done, load the page again for its links.
// Without script the page refreshes itself (a <noscript> refresh), so this only smooths it.
(function () {
  const page = document.getElementById("import-run");
  if (!page || page.dataset.done === "true") return;
  const rows = page.querySelectorAll(".import-line");
  const reached = page.querySelector(".import-reached");

  async function poll() {
    let status;
    try {
      const response = await fetch(page.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(response.statusText);
      status = await response.json();
    } catch (error) {
      window.setTimeout(poll, 3000);
      return;
    }
    if (status.done) {
      window.location.reload();
      return;
    }
    if (reached) reached.textContent = String(status.reached);
    status.lines.forEach((line, index) => {
      const row = rows[index];
      if (!row) return;
      row.querySelector(".import-outcome").textContent = line.outcome;
      row.querySelector(".import-message").textContent = line.message;
    });
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 1000);
})();
