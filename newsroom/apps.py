from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The evidence desk: outlets, sources, claims, evidence and their import."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "newsroom"
    verbose_name = "Evidence desk"
