from django.apps import AppConfig


class ExplainersConfig(AppConfig):
    """What readers see: explainer pages, their blocks, feeds, the read API and related
    stories."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "explainers"

    def ready(self):
        from explainers import signal_handlers  # noqa: F401  (its receivers connect on import)
        from explainers.api_changes import watch_changes

        # Every process that writes (web, worker, management commands) clears the API's
        # change probe, so a change shows in the API on the next request.
        watch_changes()
