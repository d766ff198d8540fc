from django.apps import AppConfig


class ThrottlingConfig(AppConfig):
    name = "newsroom.throttling"
    label = "throttling"
    default_auto_field = "django.db.models.BigAutoField"
