"""Form fields of the article admin that compare values as stored, not as a browser sends them.

A browser sends a textarea's line ends as CRLF whatever the text had: a plain CharField sees
every multi-line text as changed, so saving an article's date alone recorded its body as
curated and rewrote it. These fields normalise line ends before Django compares and saves.
"""
from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Article


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TextBlockField(forms.CharField):
    """A multi-line text kept exactly as typed, with LF line ends."""

    def __init__(self, **kwargs):
        kwargs.setdefault("strip", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 18, "class": "vLargeTextField"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return _lf(super().to_python(value))


class LinesField(forms.CharField):
    """A list of strings typed one per line (captions); blank lines are dropped."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [line.strip() for line in _lf(super().to_python(value) or "").split("\n") if line.strip()]


def _formfield(db_field, **kwargs):
    if db_field.name == "url":
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class ArticleForm(forms.ModelForm):
    body = TextBlockField(label=_("texte nettoyé"))
    captions = LinesField(label=_("légendes et crédits photo"), required=False,
                          help_text=_("Une par ligne ; une fois modifiées, la ré-extraction les laisse telles quelles."))

    class Meta:
        model = Article
        exclude = ["raw", "minhash"]
        formfield_callback = _formfield


def check_tag_letters(name: str) -> None:
    """Refuse a tag name without a letter or digit ("—", "-")."""
    if not any(ch.isalnum() for ch in name):
        raise forms.ValidationError(_("Un nom de thème contient au moins une lettre ou un chiffre."))


def check_tag_name(name: str, *, exclude_pk=None) -> None:
    """Refuse a tag name without a letter or digit, or one that only accents or case tell from a tag's."""
    from articles.models import Tag

    check_tag_letters(name)
    alike = Tag.named_alike(name).exclude(pk=exclude_pk).first()
    if alike is not None:
        raise forms.ValidationError(_("Le thème « %(name)s » existe déjà : un nom qui n’en diffère que par les accents ou "
                                      "les majuscules serait un doublon. Choisissez-le, ou renommez-le.") % {"name": alike.name})


class TagForm(forms.ModelForm):
    """A tag's name and its address name, each with a letter or a digit, neither a twin of another's."""

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        check_tag_name(name, exclude_pk=self.instance.pk)
        return name

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and not any(ch.isalnum() for ch in slug):
            raise forms.ValidationError(_("Un identifiant d’URL contient au moins une lettre ou un chiffre ; vide : tiré du nom."))
        return slug
