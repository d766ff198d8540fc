"""Similar claims: each claim's statement hash (exact duplicates share it), filled for the
claims there are; and, on PostgreSQL only, pg_trgm with a trigram index and a full-text
index on the statement, which newsroom.desk.similar_claims searches. SQLite needs neither:
there the desk compares statements with rapidfuzz."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

from newsroom.desk.text import statement_hash

# Their names are what similar_claims' PostgreSQL tests look for in query plans.
TRIGRAM_INDEX = "claim_statement_trgm"
FULL_TEXT_INDEX = "claim_statement_fts"


def postgres_indexes():
    return [
        GinIndex(fields=["statement"], opclasses=["gin_trgm_ops"], name=TRIGRAM_INDEX),
        GinIndex(SearchVector("statement", config="english"), name=FULL_TEXT_INDEX),
    ]


def fill_statement_hashes(apps, schema_editor):
    Claim = apps.get_model("newsroom", "Claim")
    claims = list(Claim.objects.only("pk", "statement"))
    for claim in claims:
        claim.statement_hash = statement_hash(claim.statement)
    Claim.objects.bulk_update(claims, ["statement_hash"], batch_size=500)


def add_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Claim = apps.get_model("newsroom", "Claim")
    for index in postgres_indexes():
        schema_editor.add_index(Claim, index)


def remove_postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Claim = apps.get_model("newsroom", "Claim")
    for index in postgres_indexes():
        schema_editor.remove_index(Claim, index)


class KeptTrigramExtension(TrigramExtension):
    """pg_trgm, created on PostgreSQL (and skipped elsewhere, as Django's operation does);
    left in place when migrating back, as other tables of the database may use it."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0010_merged_claims"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="statement_hash",
            field=models.CharField(db_index=True, default="", editable=False, max_length=64),
        ),
        migrations.RunPython(fill_statement_hashes, migrations.RunPython.noop),
        KeptTrigramExtension(),
        migrations.RunPython(add_postgres_indexes, remove_postgres_indexes),
    ]
