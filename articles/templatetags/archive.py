from django import template
from django.template.defaultfilters import date as format_date
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from articles.search import facets
from articles.ingest.addresses import web_address

register = template.Library()

FORMATS = {"day": "j F Y", "month": "F Y", "year": "Y"}


@register.simple_tag
def published_label(published_on, precision) -> str:
    """Return the date as precise as it is known: "20 mars 2022", "mars 2022", "2022", "date inconnue"."""
    if not published_on or precision not in FORMATS:
        return _("date inconnue")
    return format_date(published_on, FORMATS[precision])


@register.simple_tag
def precision_label(precision) -> str:
    """Say how precise an article's date is, for the metadata block."""
    return {
        "day": _("au jour près"),
        "month": _("au mois près : la page ne donne pas le jour"),
        "year": _("à l’année près : la page ne donne ni le jour ni le mois"),
    }.get(precision, _("la page ne donne pas de date"))


@register.filter
def country_name(country) -> str:
    """Return a country's name in the current language."""
    return country.name_en if get_language() == "en" else country.name_fr


@register.simple_tag
def entity_url(param, value):
    """Return the page of an actor, country, tag or source from its facet value ("" for other facets)."""
    return facets.entity_url(param, value) or ""


@register.simple_tag
def facet_title(param):
    """Return the heading of a facet from its parameter ("actor" -> "Acteurs")."""
    return facets.FACETS_BY_PARAM[param].title


@register.filter
def language_name(code) -> str:
    """Return the name of a language code in the current language ("fr" -> "français"), or the code."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


@register.filter
def web_link(address) -> str:
    """Return the address when it may be a link (http or https), else '': no javascript: link ever."""
    return web_address(address)
