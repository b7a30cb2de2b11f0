from django import template
from django.template.defaultfilters import date as format_date
from django.utils.translation import gettext as _

register = template.Library()

FORMATS = {"day": "j F Y", "month": "F Y", "year": "Y"}


@register.simple_tag
def published_label(published_on, precision) -> str:
    """Return the date as precise as it is known: "20 mars 2022", "mars 2022", "2022", "date inconnue"."""
    if not published_on or precision not in FORMATS:
        return _("date inconnue")
    return format_date(published_on, FORMATS[precision])
