"""A fetched page's canonical URL, recorded on its source as the page names it (never its
identity), and the possible duplicate an import run's line offers the editor: another
source at that URL, found by URL however spelt (a case-insensitive index on Source.url)."""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0011_similar_claims'),
    ]

    operations = [
        migrations.AddField(
            model_name='importitem',
            name='duplicate_of',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='newsroom.source'),
        ),
        migrations.AddField(
            model_name='source',
            name='canonical_url',
            field=models.URLField(blank=True, default='', editable=False, max_length=2000, verbose_name='canonical URL'),
        ),
        migrations.AddIndex(
            model_name='source',
            index=models.Index(django.db.models.functions.text.Lower('url'), name='source_url_lower'),
        ),
    ]
