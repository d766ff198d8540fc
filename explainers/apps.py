from django.apps import AppConfig


class ExplainersConfig(AppConfig):
    """What readers see: explainer pages, their blocks, feeds and related stories."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "explainers"

    def ready(self):
        from explainers import signals  # noqa: F401  (connects the related-stories receivers)
