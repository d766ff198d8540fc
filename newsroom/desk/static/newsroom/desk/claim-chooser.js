/* The claim chooser: Wagtail's snippet chooser, drawing the chosen claim's status badge
   from the value data the server sends (in a StreamField, and after each choice). Text
   only ever goes in through textContent: statements and labels are not trusted HTML. */
(() => {
  const SnippetChooser = window.SnippetChooser;
  const SnippetChooserFactory =
    window.telepath.constructors['wagtail.snippets.widgets.SnippetChooser'];

  function showStatus(chooserElement, state) {
    const badge = chooserElement.querySelector('[data-claim-status]');
    if (!badge) return;
    const known = Boolean(state && state.status && state.status_label);
    badge.textContent = known ? state.status_label : '';
    badge.dataset.claimStatus = known ? state.status : '';
    badge.classList.toggle('w-status--primary', known && state.status === 'verified');
    badge.hidden = !known;
  }

  class ClaimChooser extends SnippetChooser {
    getStateFromHTML() {
      const state = super.getStateFromHTML();
      const badge = this.chooserElement.querySelector('[data-claim-status]');
      if (state && badge && badge.dataset.claimStatus) {
        state.status = badge.dataset.claimStatus;
        state.status_label = badge.textContent.trim();
      }
      return state;
    }

    renderState(state) {
      super.renderState(state);
      showStatus(this.chooserElement, state);
    }

    renderEmptyState() {
      super.renderEmptyState();
      showStatus(this.chooserElement, null);
    }
  }

  class ClaimChooserFactory extends SnippetChooserFactory {
    widgetClass = ClaimChooser;
  }

  window.ClaimChooser = ClaimChooser;
  window.telepath.register('newsroom.desk.widgets.ClaimChooser', ClaimChooserFactory);
})();
