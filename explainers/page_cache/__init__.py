"""Whole responses kept for anonymous readers, at origin and at the edge, each labelled with
surrogate keys naming what it shows, so that a change purges exactly the responses it
alters (keys.py names them, changes.py says which a change alters, purging.py sends the
purge after commit to the origin store and to Wagtail's frontend caches)."""
