from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The evidence desk: outlets, sources, claims, evidence and their import. Its label
    stays "newsroom", from the days it was the project package too, so its tables,
    migrations, permissions and content types carry on unchanged."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "newsroom.desk"
    label = "newsroom"
    verbose_name = "Evidence desk"

    def ready(self):
        from django.core.checks import Tags, register

        from newsroom.desk import signal_handlers  # noqa: F401  (its receivers connect on import)
        from newsroom.desk.checks import (
            check_admin_base_url,
            check_email_backend,
            check_upload_folder,
        )

        register(check_admin_base_url, Tags.urls, deploy=True)
        register(check_email_backend, Tags.security, deploy=True)
        register(check_upload_folder, Tags.security)

        from newsroom.spreadsheets import install_csv_neutralising

        # Every CSV download of the admin, the desk's listings and Wagtail's own reports.
        install_csv_neutralising()
