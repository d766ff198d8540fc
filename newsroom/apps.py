from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The evidence desk: outlets, sources, claims, evidence and their import."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "newsroom"
    verbose_name = "Evidence desk"

    def ready(self):
        # Every process that writes (web, worker, management commands) clears the API's
        # change probe, so a change shows in the API on the next request.
        from newsroom.api import watch_changes

        watch_changes()
