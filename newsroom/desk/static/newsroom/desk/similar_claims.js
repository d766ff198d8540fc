// The similar-claims panel of the claim form. Without this script the panel lists the
// claims like the statement as it was when the form was rendered. With it, the list follows
// the statement as the editor types: a short pause after the last key, the admin is asked
// for the list (an HTML fragment it rendered and escaped), and it replaces the old one.
(() => {
  "use strict";

  let panel = null;
  let asked = 0;
  let timer = null;

  function toggleLabel(count) {
    const label = document.querySelector(
      "[data-side-panel-toggle='similar-claims'] .suggestions-toggle__label",
    );
    if (label) label.textContent = `Similar claims (${count})`;
  }

  async function update(statement) {
    const query = new URLSearchParams({ statement });
    if (panel.dataset.claim) query.set("claim", panel.dataset.claim);
    const mine = ++asked;
    try {
      const response = await fetch(`${panel.dataset.similarClaimsUrl}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!response.ok) throw new Error(String(response.status));
      const fragment = await response.text();
      if (mine !== asked) return;
      const list = panel.querySelector("[data-similar-claims-list]");
      const template = document.createElement("template");
      template.innerHTML = fragment;
      const fresh = template.content.querySelector("[data-similar-claims-list]");
      list.replaceWith(fresh);
      toggleLabel(fresh.dataset.count);
    } catch {
      // The list as it was stays: it is only a help, and saving still warns.
    }
  }

  function onInput(event) {
    if (event.target.id !== "id_statement") return;
    const statement = event.target.value;
    clearTimeout(timer);
    timer = setTimeout(() => update(statement), 300);
  }

  function start() {
    panel = document.querySelector("[data-similar-claims]");
    if (!panel) return;
    document.addEventListener("input", onInput);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
