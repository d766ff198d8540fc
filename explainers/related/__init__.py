"""Related stories: which explainers each explainer's widget shows, and keeping them current.

How it works, in four steps:

1. **Features** (``features``, ``index``). Each live, public explainer is described by its
   features: the claims it cites, the sources and outlets behind them, its tags, and the
   significant terms of its title, standfirst and claim statements. They are stored in an
   inverted index (``RelatedFeature``), so the pages sharing a feature are one indexed
   lookup away.
2. **Ranking** (``ranking``). A page's candidates are the pages sharing a *distinctive*
   feature with it (one held by few pages), scored by every feature they share, weighted by
   its kind and its rarity. Scores are symmetric, so ranking a changed page also tells which
   other widgets it could enter: nothing ever compares all pairs.
3. **Regeneration** (``changes``, ``scheduling``, ``regeneration``, ``storage``). A change
   (publish, unpublish, delete, move, a claim's status, a source's re-import) refreshes the
   index and marks the affected widgets stale in the caller's transaction; after commit a
   coalesced Celery task recomputes just those widgets.
4. **Nothing lost.** The stale marker outlives a broker that is down or a worker that dies:
   the beat sweeper recomputes whatever is still stale.

Callers import the module they need; this package imports none of them.
"""
