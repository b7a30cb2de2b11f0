"""Tags become links like actors and countries (origin, status, confidence), proposed by rules too.

The plain many-to-many table articles_article_tags is kept and becomes ArticleTag's table: its
rows get origin "curator" and status "confirmed" (tags given by a curator or an import).
"""
import django.db.models.deletion
from django.db import migrations, models

TAG_MODELS = ["tagrule", "articletag", "tagproposal"]
ORIGINS = [("extraction", "extraction automatique"), ("curator", "curateur"), ("rule", "règle de thème"), ("suggestion", "suggestion apprise")]
STATUSES = [("proposed", "proposé"), ("confirmed", "confirmé"), ("rejected", "rejeté")]


def curators_may_edit_tag_links(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Curators").first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", content_type__model__in=TAG_MODELS))


DROP_OLD_UNIQUE = """
DO $$
DECLARE name text;
BEGIN
  FOR name IN SELECT conname FROM pg_constraint
              WHERE conrelid = 'articles_article_tags'::regclass AND contype = 'u' AND conname <> 'unique_article_tag'
  LOOP EXECUTE format('ALTER TABLE articles_article_tags DROP CONSTRAINT %I', name);
  END LOOP;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_name_lookup_indexes"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.CreateModel(
            name="TagRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("q", models.CharField(blank=True, help_text='Mots et champs comme dans la boîte de recherche : sanctions "aide militaire" country:CN', max_length=500, verbose_name="recherche")),
                ("filters", models.JSONField(blank=True, default=dict, verbose_name="filtres")),
                ("date_from", models.CharField(blank=True, help_text="2022, 2022-03 ou 2022-03-15", max_length=10, verbose_name="du")),
                ("date_to", models.CharField(blank=True, max_length=10, verbose_name="au")),
                ("exact", models.BooleanField(default=False, verbose_name="mots exacts")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="créé")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="mis à jour")),
                ("tag", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="rules", to="articles.tag", verbose_name="thème")),
            ],
            options={"verbose_name": "règle de thème", "verbose_name_plural": "règles de thème", "ordering": ["tag__name", "pk"]},
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ArticleTag",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="tag_links", to="articles.article")),
                        ("tag", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="article_links", to="articles.tag", verbose_name="thème")),
                    ],
                    options={"db_table": "articles_article_tags", "verbose_name": "thème d’article", "verbose_name_plural": "thèmes d’articles",
                             "abstract": False, "base_manager_name": "objects"},
                ),
                migrations.AlterField(
                    model_name="article", name="tags",
                    field=models.ManyToManyField(blank=True, related_name="articles", through="articles.ArticleTag", to="articles.tag", verbose_name="thèmes"),
                ),
            ],
            database_operations=[],
        ),
        *[migrations.AlterField(model, "origin", models.CharField(choices=ORIGINS, default="curator", max_length=12, verbose_name="origine"))
          for model in ("articleactor", "articlecountry")],
        *[migrations.AlterField(model, "status", models.CharField(choices=STATUSES, default="confirmed", max_length=10, verbose_name="statut"))
          for model in ("articleactor", "articlecountry")],
        migrations.AddField("articletag", "origin", models.CharField(choices=ORIGINS, default="curator", max_length=12, verbose_name="origine")),
        migrations.AddField("articletag", "status", models.CharField(choices=STATUSES, default="confirmed", max_length=10, verbose_name="statut")),
        migrations.AddField("articletag", "evidence", models.TextField(blank=True, verbose_name="phrase citée")),
        migrations.AddField("articletag", "confidence", models.FloatField(default=1.0, verbose_name="confiance")),
        migrations.AddField("articletag", "rule", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="proposals", to="articles.tagrule", verbose_name="règle")),
        migrations.AddConstraint("articletag", models.UniqueConstraint(fields=("article", "tag"), name="unique_article_tag")),
        migrations.RunSQL(DROP_OLD_UNIQUE, migrations.RunSQL.noop),
        migrations.CreateModel(
            name="TagProposal", fields=[],
            options={"verbose_name": "thème proposé", "verbose_name_plural": "thèmes proposés", "proxy": True, "indexes": [], "constraints": []},
            bases=("articles.articletag",),
        ),
        migrations.CreateModel(
            name="TrainingRequest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("requested_at", models.DateTimeField(auto_now_add=True, verbose_name="demandé le")),
            ],
            options={"verbose_name": "demande d’apprentissage des thèmes", "verbose_name_plural": "demandes d’apprentissage des thèmes"},
        ),
        migrations.RunPython(curators_may_edit_tag_links, migrations.RunPython.noop),
    ]
