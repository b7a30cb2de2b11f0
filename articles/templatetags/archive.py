from functools import lru_cache

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles import links
from articles.ingest.addresses import web_address
from articles.search import facets

register = template.Library()

FORMATS = {"day": "j F Y", "month": "F Y", "year": "Y"}


@register.simple_tag
def published_label(published_on, precision) -> str:
    """Return the date as precise as it is known: "20 mars 2022", "mars 2022", "2022", "date inconnue"."""
    if not published_on or precision not in FORMATS:
        return _("date inconnue")
    return _date_in(get_language(), published_on, FORMATS[precision])


@lru_cache(maxsize=20_000)
def _date_in(language, day, date_format) -> str:
    """Return format_date(day, date_format) in that language: a list shows the same dates again and again."""
    return format_date(day, date_format)


@register.simple_tag
def article_meta(article) -> str:
    """Return the line under an article's title in a list: its date, source and agency, linked."""
    published = article.published_on
    return format_html(
        '<p class="meta">\n  <time{}>{}</time>\n  {}\n  {}\n</p>\n',
        format_html(' datetime="{}"', published.isoformat()) if published else "",
        published_label(published, article.date_precision),
        _source_link(article.source), _source_link(article.agency))


@register.simple_tag
def article_items(listed, level=None) -> str:
    """Return the items of a list of articles (browse.ListedArticle): title linked, meta line, snippet."""
    heading = f"h{level or 2}"
    return mark_safe("".join(
        f'\n  <li class="result">\n    <{heading} class="result-title"><a href="{escape(item.article.get_absolute_url())}">'
        f'{escape(item.article.display_title)}</a></{heading}>\n    {article_meta(item.article)}\n    '
        f'{f"""<p class="snippet">{item.snippet}</p>""" if item.snippet else ""}\n  </li>\n  '
        for item in listed))


def _source_link(source) -> str:
    if source is None:
        return ""
    return format_html('· <a href="{}">{}</a>', links.page_url("articles:source", source.slug), source.name)


@register.simple_tag
def precision_label(precision) -> str:
    """Say how precise an article's date is, for the metadata block."""
    return {
        "day": _("au jour près"),
        "month": _("au mois près : la page ne donne pas le jour"),
        "year": _("à l’année près : la page ne donne ni le jour ni le mois"),
    }.get(precision, _("la page ne donne pas de date"))


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


# The timeline's repeated marks, one string each: a template loop costs ~40 µs a bar. Numbers are
# written as {% localize off %} writes them (str), as the SVG needs them whatever the language.

@register.simple_tag
def timeline_bars(timeline) -> str:
    """Return the bars of a timeline (articles.timeline.Timeline), each linked, with its count above it."""
    value_class = "value" + (" wide" if timeline.values_wide else "") + (" narrow" if timeline.values_narrow else "")
    with_values = timeline.values_wide or timeline.values_narrow
    marks = []
    for bar in timeline.bars:
        if not bar.count:
            continue
        description = escape(bar.description)
        marks.append(f'<a href="{escape(bar.url)}" tabindex="-1" aria-label="{description}"><rect x="{bar.x}%" y="{bar.y}" '
                     f'width="{bar.width}%" height="{bar.height}"><title>{description}</title></rect></a>')
        if with_values:
            marks.append(f'<text class="{value_class}" x="{bar.middle}%" y="{int(bar.y) - 5}" text-anchor="middle">{bar.count}</text>')
    return mark_safe("".join(marks))


@register.simple_tag
def timeline_ticks(timeline) -> str:
    """Return the labels of a timeline's axis: months (with their year under some) or years."""
    marks = []
    for tick in timeline.ticks:
        marks.append(f'<text class="tick{" wide" if tick.wide else ""}{" narrow" if tick.narrow else ""}" x="{tick.x}%" '
                     f'y="{timeline.label_y}" text-anchor="middle">{escape(tick.label)}</text>')
        for year, screen in ((tick.year_wide, "wide"), (tick.year_narrow, "narrow")):
            if year:
                marks.append(f'<text class="year {screen}" x="{tick.x}%" y="{timeline.year_y}" text-anchor="middle">{escape(year)}</text>')
    return mark_safe("".join(marks))


@register.simple_tag
def timeline_rows(timeline) -> str:
    """Return the rows of the table beside a timeline: each period with articles, linked, and its count."""
    return mark_safe("".join(f'<tr><th scope="row"><a href="{escape(bar.url)}">{escape(bar.label)}</a></th><td>{bar.count}</td></tr>'
                             for bar in timeline.counted_bars))


# Facet rows, a few dozen a page, one string each (a template loop costs ~30 µs a row).

@register.simple_tag
def facet_rows(facet, rows, search_path) -> str:
    """Return the list items of a facet beside the results: each value toggles it in the search."""
    items = []
    for row in rows:
        label = escape(row.label)
        if row.selected:
            page_url = facet.entity_url(row.value)
            page_link = format_html('<a class="entity-link" href="{}">{}<span aria-hidden="true">{} →</span></a>', page_url, mark_safe(
                _('<span class="visually-hidden">La page « %(name)s »</span>') % {"name": label}), _("fiche")) if page_url else ""
            items.append(f'\n      <li class="selected">\n        <a href="{escape(search_path + row.toggle_url)}" aria-current="true">\n'
                         f'          <span class="visually-hidden">{escape(_("Retirer le filtre"))}</span>\n'
                         f'          <span class="label">{label}</span> <span class="count">{row.count}</span>\n'
                         f'        </a>\n        {page_link}\n      </li>\n      ')
        else:
            items.append(f'\n      <li>\n        <a href="{escape(search_path + row.toggle_url)}">\n          \n'
                         f'          <span class="label">{label}</span> <span class="count">{row.count}</span>\n'
                         f'        </a>\n        \n      </li>\n      ')
    return mark_safe("".join(items))


@register.simple_tag
def entity_count_rows(param, rows) -> str:
    """Return the list items of the values most often found, each linked to its own page, with its count."""
    return mark_safe("".join(
        f'\n  <li><a href="{escape(facets.entity_url(param, row.value) or "")}"><span class="label">{escape(row.label)}</span> '
        f'<span class="count">{ngettext(_ONE_ARTICLE, _ARTICLES, row.count) % {"n": row.count}}</span></a></li>\n  '
        for row in rows))


_ONE_ARTICLE, _ARTICLES = '%(n)s<span class="visually-hidden"> article</span>', '%(n)s<span class="visually-hidden"> articles</span>'
