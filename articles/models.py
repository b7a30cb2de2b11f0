"""What an article, its source, topic tags, actors and countries are."""
import calendar
import unicodedata

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Value
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles import links
from articles.ingest.names import name_key


def unique_slug(model, text: str, *, exclude_pk=None) -> str:
    """Return a slug for text that no other row of model uses yet."""
    base = slugify(text)[:180] or "x"
    slug, n = base, 1
    others = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class SluggedModel(models.Model):
    """A named thing with a stable slug used in URLs and as its search facet value."""

    slug = models.SlugField(_("identifiant d’URL"), max_length=200, unique=True, blank=True)

    class Meta:
        abstract = True

    # The kind of OldSlug a former slug of this model is kept as ("actor", "tag", "source").
    old_slug_kind = ""

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), str(self), exclude_pk=self.pk)
        previous = type(self).objects.filter(pk=self.pk).values_list("slug", flat=True).first() if self.pk else None
        super().save(*args, **kwargs)
        if self.old_slug_kind and previous and previous != self.slug:  # renamed: the old address redirects
            from articles.redirects import keep_old_slugs

            keep_old_slugs(self.old_slug_kind, [previous], self.pk)


class OldSlug(models.Model):
    """An address that named an actor, tag or source before a merge or a rename: it redirects (301)
    to the page of the one it became (`target_id`, followed through later merges and renames)."""

    kind = models.CharField(_("genre"), max_length=10, choices=[("actor", _("acteur")), ("tag", _("thème")), ("source", _("source"))])
    slug = models.SlugField(_("ancien identifiant d’URL"), max_length=200)
    target_id = models.BigIntegerField(_("devenu"))
    created_at = models.DateTimeField(_("créé"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="oldslug_kind_slug")]
        indexes = [models.Index(fields=["kind", "target_id"])]
        verbose_name = _("ancienne adresse")
        verbose_name_plural = _("anciennes adresses")

    def __str__(self):
        return f"{self.kind}/{self.slug} → {self.target_id}"


class Source(SluggedModel):
    """A publisher or news agency."""

    old_slug_kind = "source"

    name = models.CharField(_("nom"), max_length=200, unique=True)
    is_agency = models.BooleanField(_("agence de presse"), default=False)
    url = models.URLField(_("site web"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name


class Tag(SluggedModel):
    """A topic tag given by a curator or an import."""

    old_slug_kind = "tag"

    name = models.CharField(_("nom"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self):
        return self.name

    @classmethod
    def named_alike(cls, name: str):
        """Return the tags whose name is name but for accents, case and spaces ("Énergie", "ENERGIE")."""
        key = fold_name(name)
        return cls.objects.filter(pk__in=[pk for pk, other in cls.objects.values_list("pk", "name") if fold_name(other) == key])


def fold_name(text: str) -> str:
    """Return a name lower-cased, without accents, its spaces collapsed: how two names are told apart."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Actor(SluggedModel):
    """A person or organisation named in articles, under one canonical name."""

    old_slug_kind = "actor"

    class Kind(models.TextChoices):
        PERSON = "person", _("personne")
        ORGANISATION = "organisation", _("organisation")

    class Review(models.TextChoices):
        NEW = "new", _("à relire")
        ACCEPTED = "accepted", _("accepté")
        REJECTED = "rejected", _("pas un acteur")

    name = models.CharField(_("nom canonique"), max_length=200, unique=True)
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    review_state = models.CharField(_("relecture"), max_length=10, choices=Review.choices, default=Review.NEW)
    created_at = models.DateTimeField(_("créé"), auto_now_add=True)
    # The spelling-independent key of the name (ingest/names.py): "Putin" and "Poutine" share it.
    name_key = models.CharField(_("clé du nom"), max_length=200, db_index=True, editable=False, default="")
    # Its last word, which a query's word may name alone ("Zelenskyy"): computed by PostgreSQL
    # from name_key and indexed, so that looking a query's words up as surnames reads the index
    # rather than matching a regular expression against every actor's key.
    surname_key = models.GeneratedField(
        expression=Func(F("name_key"), Value("^.* "), Value(""), function="REGEXP_REPLACE",
                        output_field=models.CharField(max_length=200)),
        output_field=models.CharField(max_length=200), db_persist=True, db_index=True, verbose_name=_("clé du nom de famille"))

    class Meta:
        ordering = ["name"]
        # Searches look actors up by name whatever its case ("putin" finds "Putin").
        indexes = [models.Index(Lower("name"), name="actor_name_lower")]
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


class ActorAlias(models.Model):
    """Another spelling of an actor's name ("Poutine", "Putin"); unique across actors."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("acteur"))
    name = models.CharField(_("alias"), max_length=200, unique=True)
    name_key = models.CharField(_("clé du nom"), max_length=200, db_index=True, editable=False, default="")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="actoralias_name_lower")]
        verbose_name = _("alias")
        verbose_name_plural = pgettext_lazy("plural", "alias")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        others = Actor.objects.filter(name__iexact=self.name)
        if self.actor_id:
            others = others.exclude(pk=self.actor_id)
        if others.exists():
            raise ValidationError({"name": _("« %(name)s » est le nom d’un autre acteur : fusionnez plutôt les deux acteurs.") % {"name": self.name}})


class Country(models.Model):
    """A country by its ISO 3166-1 alpha-2 code, with names from pycountry."""

    code = models.CharField(_("code ISO"), max_length=2, primary_key=True)
    name_en = models.CharField(_("nom anglais"), max_length=200)
    name_fr = models.CharField(_("nom français"), max_length=200)
    aliases = models.JSONField(_("alias utilisés pour la détection"), default=list, blank=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("pays")
        verbose_name_plural = pgettext_lazy("plural", "pays")

    def __str__(self):
        return self.name_fr

    @property
    def slug(self) -> str:
        return self.code.lower()


class Article(models.Model):
    """A news article: its clean text, where it came from and what it is about."""

    class Precision(models.TextChoices):
        DAY = "day", _("jour")
        MONTH = "month", _("mois")
        YEAR = "year", _("année")
        UNKNOWN = "unknown", _("inconnue")

    class RawFormat(models.TextChoices):
        TEXT = "text", _("texte")
        HTML = "html", _("HTML")
        JSON = "json", _("JSON")

    title = models.CharField(_("titre"), max_length=500, blank=True, help_text=_("Vide quand la page ne donne pas de titre."))
    body = models.TextField(_("texte nettoyé"))
    raw = models.TextField(_("page brute telle que reçue"))
    raw_format = models.CharField(_("format brut"), max_length=10, choices=RawFormat.choices, default=RawFormat.TEXT)
    captions = models.JSONField(_("légendes et crédits photo"), default=list, blank=True)
    url = models.URLField(_("adresse d’origine"), max_length=2000, blank=True)
    origin = models.CharField(_("importé de"), max_length=500, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles", verbose_name=_("source"))
    agency = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="agency_articles", verbose_name=_("agence"))
    published_on = models.DateField(_("publié le"), null=True, blank=True, help_text=_("Premier jour du mois ou de l’année quand seuls ceux-ci sont connus."))
    date_precision = models.CharField(_("précision de la date"), max_length=10, choices=Precision.choices, default=Precision.UNKNOWN)
    language = models.CharField(_("langue"), max_length=8, blank=True)
    reviewed = models.BooleanField(_("relu par un curateur"), default=False)
    # Fields a curator edited: re-extraction leaves them as the curator set them.
    curated_fields = models.JSONField(_("champs fixés par un curateur"), default=list, blank=True)
    # Near-duplicates (the same story reworded or republished) point to the first one seen.
    story = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="story_members", verbose_name=_("même histoire que"))
    minhash = ArrayField(models.BigIntegerField(), null=True, blank=True, editable=False, help_text=_("Signature MinHash des fragments du texte."))
    content_hash = models.CharField(_("empreinte du contenu"), max_length=64, unique=True, help_text=_("SHA-256 du texte normalisé ; rend les imports idempotents."))
    tags = models.ManyToManyField(Tag, through="ArticleTag", blank=True, related_name="articles", verbose_name=_("thèmes"))
    actors = models.ManyToManyField(Actor, through="ArticleActor", related_name="articles", verbose_name=_("acteurs"))
    countries = models.ManyToManyField(Country, through="ArticleCountry", related_name="articles", verbose_name=pgettext_lazy("plural", "pays"))
    created_at = models.DateTimeField(_("créé"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour"), auto_now=True)

    class Meta:
        ordering = [models.F("published_on").desc(nulls_last=True), "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["published_on"]),
            # Lists read in these orders stop after a page instead of sorting every article:
            # the admin's list (Meta.ordering) and the newest added (home page, feeds).
            models.Index(models.F("published_on").desc(nulls_last=True), models.F("id").desc(), name="article_published_order"),
            models.Index(models.F("created_at").desc(), models.F("id").desc(), name="article_added_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_precision="unknown", published_on__isnull=True)
                | (~models.Q(date_precision="unknown") & models.Q(published_on__isnull=False)),
                name="article_date_matches_precision",
            )
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        """Return the headline, or a label made from the start of the text when there is none."""
        if self.title:
            return self.title
        lead = " ".join(self.body.split())
        return (lead[:90].rsplit(" ", 1)[0] + " …") if len(lead) > 90 else lead

    def get_absolute_url(self):
        return links.article_url(self.pk)

    @property
    def published_until(self):
        """Return the last day of the period the date stands for: the day, month or year."""
        start = self.published_on
        if start is None:
            return None
        if self.date_precision == self.Precision.YEAR:
            return start.replace(month=12, day=31)
        if self.date_precision == self.Precision.MONTH:
            return start.replace(day=calendar.monthrange(start.year, start.month)[1])
        return start


class Origin(models.TextChoices):
    EXTRACTION = "extraction", _("extraction automatique")
    CURATOR = "curator", _("curateur")
    RULE = "rule", _("règle de thème")
    SUGGESTION = "suggestion", _("suggestion apprise")


class LinkStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposé")
    CONFIRMED = "confirmed", _("confirmé")
    REJECTED = "rejected", _("rejeté")


class ActiveLinkManager(models.Manager):
    """The links that count: not rejected by a curator."""

    def get_queryset(self):
        return super().get_queryset().exclude(status=LinkStatus.REJECTED)


class ArticleLink(models.Model):
    """What an article's link to an actor or a country records: who made it, its status, evidence."""

    origin = models.CharField(_("origine"), max_length=12, choices=Origin.choices, default=Origin.CURATOR)
    # A rejected link stays, so that re-extraction never brings it back.
    status = models.CharField(_("statut"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.CONFIRMED)
    evidence = models.TextField(_("phrase citée"), blank=True)
    confidence = models.FloatField(_("confiance"), default=1.0)

    objects = models.Manager()
    active = ActiveLinkManager()

    class Meta:
        abstract = True
        base_manager_name = "objects"


class ArticleActor(ArticleLink):
    """An actor named in an article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="actor_links")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="article_links", verbose_name=_("acteur"))

    class Meta(ArticleLink.Meta):
        constraints = [models.UniqueConstraint(fields=["article", "actor"], name="unique_article_actor")]
        verbose_name = _("mention d’acteur")
        verbose_name_plural = _("mentions d’acteurs")

    def __str__(self):
        return f"{self.actor} — {self.article_id}"


class ArticleCountry(ArticleLink):
    """A country an article refers to."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="country_links")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="article_links", verbose_name=_("pays"))

    class Meta(ArticleLink.Meta):
        constraints = [models.UniqueConstraint(fields=["article", "country"], name="unique_article_country")]
        verbose_name = _("mention de pays")
        verbose_name_plural = _("mentions de pays")

    def __str__(self):
        return f"{self.country} — {self.article_id}"


class TagRule(models.Model):
    """A saved search that proposes its tag on every article it finds, now and after each import."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="rules", verbose_name=_("thème"))
    q = models.CharField(_("recherche"), max_length=500, blank=True,
                         help_text=_("Mots et champs comme dans la boîte de recherche : sanctions \"aide militaire\" country:CN"))
    filters = models.JSONField(_("filtres"), default=dict, blank=True)  # facet param -> values, as in a search address
    date_from = models.CharField(_("du"), max_length=10, blank=True, help_text=_("2022, 2022-03 ou 2022-03-15"))
    date_to = models.CharField(_("au"), max_length=10, blank=True)
    exact = models.BooleanField(_("mots exacts"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("créé"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour"), auto_now=True)

    class Meta:
        ordering = ["tag__name", "pk"]
        verbose_name = _("règle de thème")
        verbose_name_plural = _("règles de thème")

    def __str__(self):
        described = self.describe()  # a rule's filters may be long: the admin's messages quote it
        return f"{self.tag} ← {described[:80]}…" if len(described) > 81 else f"{self.tag} ← {described}"

    def describe(self) -> str:
        """Return the search in words: "sanctions · country=CN · 2022-03..2022-06"."""
        parts = [self.q] if self.q else []
        parts += [f"{param}={value}" for param, values in sorted(self.filters.items()) for value in values]
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from}..{self.date_to}")
        return " · ".join(parts) or "*"


class ArticleTag(ArticleLink):
    """A topic tag of an article: given by a curator or an import, or proposed by a rule or a suggestion."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="article_links", verbose_name=_("thème"))
    rule = models.ForeignKey(TagRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals", verbose_name=_("règle"))

    class Meta(ArticleLink.Meta):
        db_table = "articles_article_tags"  # the table of the plain many-to-many it replaced
        constraints = [models.UniqueConstraint(fields=["article", "tag"], name="unique_article_tag")]
        verbose_name = _("thème d’article")
        verbose_name_plural = _("thèmes d’articles")

    def __str__(self):
        return f"{self.tag} — {self.article.display_title}"


class TagProposal(ArticleTag):
    """The review queue: tags proposed by rules and suggestions, for a curator to confirm or reject."""

    class Meta:
        proxy = True
        verbose_name = _("thème proposé")
        verbose_name_plural = _("thèmes proposés")


class TrainingRequest(models.Model):
    """A curation that changed tags: the tag suggestions are to be learned again (suggest_tags --watch)."""

    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("demande d’apprentissage des thèmes")
        verbose_name_plural = _("demandes d’apprentissage des thèmes")


class PendingIndexUpdate(models.Model):
    """An article whose search document must be rewritten, recorded in the same transaction as
    the change itself, so that a crash between the commit and the index update loses nothing."""

    article_id = models.BigIntegerField(_("article"), db_index=True)  # no foreign key: deletions are queued too
    created_at = models.DateTimeField(_("mis en file"), auto_now_add=True)
    # When applying it failed (not a busy index: an error), how often, why, and when the queue
    # worker tries again (later after each failure: articles.search.indexing.queue).
    attempts = models.PositiveIntegerField(_("tentatives échouées"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    retry_at = models.DateTimeField(_("prochain essai"), null=True, blank=True)

    class Meta:
        verbose_name = _("mise à jour d’index en attente")
        verbose_name_plural = _("mises à jour d’index en attente")

    def __str__(self):
        return f"article {self.article_id}"
