"""Admin views of the evidence desk that Wagtail's generic views don't provide:
one module per thing they act on."""
