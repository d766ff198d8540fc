// The claim form's quote tools. Without this script the form is Wagtail's own: a plain
// quote textarea, the saved claim's corroboration, and a refused quote's closest passage as
// text to copy. With it:
// - choosing a source shows its text below the quote field, and selecting words there fills
//   the quote with exactly those words;
// - the corroboration line follows the evidence rows as they change (the admin counts them
//   by the verification rules; nothing is counted here);
// - "Use this passage" puts a refused quote's closest passage in its field.
// Source text is untrusted: it only ever goes into the page as textContent.
(() => {
  "use strict";

  const ROW_FIELD = /^(evidence-\d+)-(source|quote|stance|DELETE)$/;
  let tools = null;
  let asked = 0;
  let timer = null;

  const field = (prefix, name) => document.getElementById(`id_${prefix}-${name}`);

  function sourceTextUrl(sourceId) {
    return tools.dataset.sourceTextUrl.replace(/0\/$/, `${encodeURIComponent(sourceId)}/`);
  }

  function sourceTextRegion(prefix) {
    const id = `${prefix}-source-text`;
    let region = document.getElementById(id);
    if (region) return region;
    const quote = field(prefix, "quote");
    if (!quote) return null;
    region = document.createElement("div");
    region.id = id;
    region.className = "claim-source-text";
    const label = document.createElement("p");
    label.id = `${id}-label`;
    label.className = "claim-source-text__label";
    const body = document.createElement("div");
    body.className = "claim-source-text__body";
    body.tabIndex = 0;
    body.setAttribute("role", "region");
    body.setAttribute("aria-labelledby", label.id);
    body.dataset.sourceTextFor = quote.id;
    region.append(label, body);
    (quote.closest(".w-field__wrapper") || quote).after(region);
    return region;
  }

  async function showSourceText(prefix) {
    const sourceId = field(prefix, "source")?.value;
    const existing = document.getElementById(`${prefix}-source-text`);
    if (!sourceId) {
      existing?.remove();
      return;
    }
    const region = sourceTextRegion(prefix);
    if (!region) return;
    const [label, body] = region.children;
    label.textContent = "Loading the source’s text…";
    body.textContent = "";
    try {
      const response = await fetch(sourceTextUrl(sourceId), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      const source = await response.json();
      const outlet = source.outlet ? ` (${source.outlet})` : "";
      label.textContent = `Text of “${source.title}”${outlet}: select words to quote them.`;
      body.textContent = source.body;
    } catch {
      label.textContent = "The source’s text could not be loaded; type the quote instead.";
    }
  }

  function quoteFromSelection() {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const node = selection.getRangeAt(0).commonAncestorContainer;
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const body = element?.closest("[data-source-text-for]");
    if (!body) return;
    const words = selection.toString().trim();
    const quote = document.getElementById(body.dataset.sourceTextFor);
    if (!words || !quote || quote.value === words) return;
    quote.value = words;
    quote.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function evidenceRows() {
    return [...document.querySelectorAll("input[name^='evidence-'][name$='-source']")]
      .map((input) => input.name.replace(/-source$/, ""))
      .filter((prefix) => !prefix.includes("__prefix__"))
      .filter((prefix) => field(prefix, "DELETE")?.value !== "1")
      .map((prefix) => ({
        source: field(prefix, "source").value,
        quote: field(prefix, "quote")?.value.trim() || "",
        stance: field(prefix, "stance")?.value || "",
      }))
      .filter((row) => row.source && row.quote && row.stance);
  }

  async function updateCorroboration() {
    const line = tools.querySelector("[data-corroboration-line]");
    const query = new URLSearchParams();
    for (const row of evidenceRows()) {
      query.append("source", row.source);
      query.append("quote", row.quote);
      query.append("stance", row.stance);
    }
    const mine = ++asked;
    try {
      const response = await fetch(`${tools.dataset.corroborationUrl}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      const answer = await response.json();
      if (mine === asked) line.textContent = answer.summary;
    } catch {
      if (mine === asked) line.textContent = "The corroboration could not be counted just now.";
    }
  }

  function corroborationSoon() {
    clearTimeout(timer);
    timer = setTimeout(updateCorroboration, 300);
  }

  function onRowChange(event) {
    const match = ROW_FIELD.exec(event.target.name || "");
    if (!match) return;
    if (match[2] === "source" && event.type === "change") showSourceText(match[1]);
    corroborationSoon();
  }

  function usePassage(event) {
    const button = event.target.closest("[data-quote-repair-use]");
    if (!button) return;
    const repair = button.closest("[data-quote-repair]");
    const quote = document.getElementById(button.dataset.quoteRepairFor);
    const passage = repair.querySelector("[data-quote-repair-passage]").textContent;
    quote.value = passage;
    quote.dispatchEvent(new Event("input", { bubbles: true }));
    repair.querySelector("[data-quote-repair-status]").textContent =
      "The passage is in the quote field. Save to check it again.";
    quote.focus();
  }

  function start() {
    tools = document.querySelector("[data-claim-form-tools]");
    if (!tools) return;
    document.addEventListener("change", onRowChange);
    document.addEventListener("input", onRowChange);
    document.addEventListener("selectionchange", quoteFromSelection);
    document.addEventListener("click", usePassage);
    for (const button of document.querySelectorAll("[data-quote-repair-use]")) {
      button.hidden = false;
    }
    for (const input of document.querySelectorAll("input[name^='evidence-'][name$='-source']")) {
      const prefix = input.name.replace(/-source$/, "");
      if (input.value && !prefix.includes("__prefix__")) showSourceText(prefix);
    }
    updateCorroboration();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
