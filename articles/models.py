"""What an article, its source, topic tags, actors and countries are."""
import calendar

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


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

    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), str(self), exclude_pk=self.pk)
        super().save(*args, **kwargs)


class Source(SluggedModel):
    """A publisher or news agency."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    is_agency = models.BooleanField(_("news agency"), default=False)
    url = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name


class Tag(SluggedModel):
    """A topic tag given by a curator or an import."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic tag")
        verbose_name_plural = _("topic tags")

    def __str__(self):
        return self.name


class Actor(SluggedModel):
    """A person or organisation named in articles, under one canonical name."""

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")

    class Review(models.TextChoices):
        NEW = "new", _("to review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("not an actor")

    name = models.CharField(_("canonical name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    review_state = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.NEW)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    def __str__(self):
        return self.name


class ActorAlias(models.Model):
    """Another spelling of an actor's name ("Poutine", "Putin"); unique across actors."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("actor"))
    name = models.CharField(_("alias"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self):
        return self.name


class Country(models.Model):
    """A country by its ISO 3166-1 alpha-2 code, with names from pycountry."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name_en = models.CharField(_("English name"), max_length=200)
    name_fr = models.CharField(_("French name"), max_length=200)
    aliases = models.JSONField(_("aliases used for detection"), default=list, blank=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name_fr

    @property
    def slug(self) -> str:
        return self.code.lower()


class Article(models.Model):
    """A news article: its clean text, where it came from and what it is about."""

    class Precision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")
        YEAR = "year", _("year")
        UNKNOWN = "unknown", _("unknown")

    class RawFormat(models.TextChoices):
        TEXT = "text", _("text")
        HTML = "html", _("HTML")
        JSON = "json", _("JSON")

    title = models.CharField(_("title"), max_length=500, blank=True, help_text=_("Empty when the page gives no headline."))
    body = models.TextField(_("clean text"))
    raw = models.TextField(_("raw page as received"))
    raw_format = models.CharField(_("raw format"), max_length=10, choices=RawFormat.choices, default=RawFormat.TEXT)
    captions = models.JSONField(_("captions and photo credits"), default=list, blank=True)
    url = models.URLField(_("original URL"), max_length=2000, blank=True)
    origin = models.CharField(_("imported from"), max_length=500, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles", verbose_name=_("source"))
    agency = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="agency_articles", verbose_name=_("agency"))
    published_on = models.DateField(_("published"), null=True, blank=True, help_text=_("First day of the month or year when only those are known."))
    date_precision = models.CharField(_("date precision"), max_length=10, choices=Precision.choices, default=Precision.UNKNOWN)
    language = models.CharField(_("language"), max_length=8, blank=True)
    reviewed = models.BooleanField(_("reviewed by a curator"), default=False)
    # Fields a curator edited: re-extraction leaves them as the curator set them.
    curated_fields = models.JSONField(_("fields set by a curator"), default=list, blank=True)
    # Near-duplicates (the same story reworded or republished) point to the first one seen.
    story = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="story_members", verbose_name=_("same story as"))
    minhash = ArrayField(models.BigIntegerField(), null=True, blank=True, editable=False, help_text=_("MinHash signature of the text's shingles."))
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True, help_text=_("SHA-256 of the normalised text; makes imports idempotent."))
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("topic tags"))
    actors = models.ManyToManyField(Actor, through="ArticleActor", related_name="articles", verbose_name=_("actors"))
    countries = models.ManyToManyField(Country, through="ArticleCountry", related_name="articles", verbose_name=_("countries"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = [models.F("published_on").desc(nulls_last=True), "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["published_on"])]
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
        return reverse("articles:detail", args=[self.pk])

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
    EXTRACTION = "extraction", _("automatic extraction")
    CURATOR = "curator", _("curator")


class LinkStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed by extraction")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class ActiveLinkManager(models.Manager):
    """The links that count: not rejected by a curator."""

    def get_queryset(self):
        return super().get_queryset().exclude(status=LinkStatus.REJECTED)


class ArticleLink(models.Model):
    """What an article's link to an actor or a country records: who made it, its status, evidence."""

    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices, default=Origin.CURATOR)
    # A rejected link stays, so that re-extraction never brings it back.
    status = models.CharField(_("status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.CONFIRMED)
    evidence = models.TextField(_("evidence"), blank=True)
    confidence = models.FloatField(_("confidence"), default=1.0)

    objects = models.Manager()
    active = ActiveLinkManager()

    class Meta:
        abstract = True
        base_manager_name = "objects"


class ArticleActor(ArticleLink):
    """An actor named in an article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="actor_links")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="article_links", verbose_name=_("actor"))

    class Meta(ArticleLink.Meta):
        constraints = [models.UniqueConstraint(fields=["article", "actor"], name="unique_article_actor")]
        verbose_name = _("actor mention")
        verbose_name_plural = _("actor mentions")

    def __str__(self):
        return f"{self.actor} — {self.article_id}"


class ArticleCountry(ArticleLink):
    """A country an article refers to."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="country_links")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="article_links", verbose_name=_("country"))

    class Meta(ArticleLink.Meta):
        constraints = [models.UniqueConstraint(fields=["article", "country"], name="unique_article_country")]
        verbose_name = _("country mention")
        verbose_name_plural = _("country mentions")

    def __str__(self):
        return f"{self.country} — {self.article_id}"


class PendingIndexUpdate(models.Model):
    """An article whose search document must be rewritten, recorded in the same transaction as
    the change itself, so that a crash between the commit and the index update loses nothing."""

    article_id = models.BigIntegerField(_("article"), db_index=True)  # no foreign key: deletions are queued too
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending index update")
        verbose_name_plural = _("pending index updates")

    def __str__(self):
        return f"article {self.article_id}"
