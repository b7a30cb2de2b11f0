"""The query language of the search box, parsed into a small tree. Pure: no database, no engine.

    words         every word is required:              sanctions pékin
    OR            either side:                         drones OR missiles
    NOT, -        excludes:                            sanctions -pétrole, sanctions NOT pétrole
    "..."         a phrase, words in this order:       "aide militaire"
    word*         words starting so:                   sanction*
    ( )           grouping:                            (drones OR missiles) iran
    field:value   actor:, country:, tag:, source:, date: (date:2022, date:2022-03,
                  date:2022-01..2022-06, date:2022-03-15.., date:..2021)

A query that breaks these rules raises QuerySyntaxError, whose message says why in the
interface language; the caller falls back to its plain words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

FIELDS = {"actor", "country", "tag", "source", "agency", "date"}
# French names of the fields, so that "acteur:" or "pays:" work too.
FIELD_ALIASES = {"acteur": "actor", "pays": "country", "theme": "tag", "thème": "tag", "sujet": "tag", "agence": "agency"}
MIN_PREFIX = 2

TOKEN = re.compile(
    r'(?P<space>\s+)'
    r'|(?P<lparen>\()|(?P<rparen>\))'
    r'|(?P<field>(?P<fname>[^\W\d_]+):(?:"(?P<fquoted>[^"]*)"|(?P<fvalue>[^\s()"]+)))'
    r'|(?P<phrase>"(?P<ptext>[^"]*)")'
    r'|(?P<quote>")'
    r'|(?P<minus>-)(?=\S)'
    r'|(?P<word>[^\s()"]+)'
)


class QuerySyntaxError(ValueError):
    """The query does not follow the query language."""


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Field:
    name: str  # one of FIELDS
    value: str


@dataclass(frozen=True)
class Not:
    node: object


@dataclass(frozen=True)
class And:
    nodes: tuple


@dataclass(frozen=True)
class Or:
    nodes: tuple


def tokenize(query: str) -> list[tuple[str, str]]:
    tokens = []
    for match in TOKEN.finditer(query):
        kind = next(k for k in ("space", "lparen", "rparen", "field", "phrase", "quote", "minus", "word") if match.group(k) is not None)
        if kind == "space":
            continue
        if kind == "quote":
            raise QuerySyntaxError(_("un guillemet n’est pas fermé"))
        if kind == "field":
            name = match.group("fname").lower()
            name = FIELD_ALIASES.get(name, name)
            if name not in FIELDS:
                tokens.append(("word", match.group("field")))
                continue
            value = match.group("fquoted") if match.group("fquoted") is not None else match.group("fvalue")
            if not value.strip():
                raise QuerySyntaxError(_("« %(field)s: » demande une valeur") % {"field": name})
            tokens.append(("field", f"{name}\x00{value.strip()}"))
        elif kind == "phrase":
            tokens.append(("phrase", match.group("ptext")))
        elif kind == "word" and re.fullmatch(r"[^\W\d_]+:", match.group("word")) and FIELD_ALIASES.get(
            match.group("word")[:-1].lower(), match.group("word")[:-1].lower()
        ) in FIELDS:
            raise QuerySyntaxError(_("« %(field)s » demande une valeur") % {"field": match.group("word")})
        elif kind == "word" and match.group("word") in ("AND", "OR", "NOT"):
            tokens.append((match.group("word"), ""))
        else:
            tokens.append((kind, match.group(kind)))
    return tokens


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def take(self):
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self):
        if not self.tokens:
            return None
        node = self.or_expr()
        if self.peek() is not None:
            raise QuerySyntaxError(_("une parenthèse fermante n’a pas d’ouvrante") if self.peek() == "rparen" else _("mots inattendus"))
        return node

    def or_expr(self):
        nodes = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, "rparen", "OR", "AND"):
                raise QuerySyntaxError(_("OR demande un mot de chaque côté"))
            nodes.append(self.and_expr())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def and_expr(self):
        nodes = [self.unary()]
        while self.peek() not in (None, "rparen", "OR"):
            if self.peek() == "AND":
                self.take()
                if self.peek() in (None, "rparen", "OR", "AND"):
                    raise QuerySyntaxError(_("AND demande un mot de chaque côté"))
            nodes.append(self.unary())
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def unary(self):
        kind = self.peek()
        if kind in ("NOT", "minus"):
            self.take()
            if self.peek() in (None, "rparen", "OR", "AND"):
                raise QuerySyntaxError(_("NOT demande un mot après lui"))
            return Not(self.unary())
        if kind == "lparen":
            self.take()
            if self.peek() == "rparen":
                raise QuerySyntaxError(_("parenthèses vides"))
            if self.peek() is None:
                raise QuerySyntaxError(_("une parenthèse n’est pas fermée"))
            node = self.or_expr()
            if self.peek() != "rparen":
                raise QuerySyntaxError(_("une parenthèse n’est pas fermée"))
            self.take()
            return node
        if kind in (None, "rparen", "OR", "AND"):
            raise QuerySyntaxError(_("un opérateur n’a pas de mot sur lequel porter"))
        kind, value = self.take()
        if kind == "phrase":
            if not value.strip():
                raise QuerySyntaxError(_("guillemets vides"))
            return Phrase(" ".join(value.split()))
        if kind == "field":
            name, _sep, text = value.partition("\x00")
            return Field(name, text)
        if value.endswith("*"):
            stem = value.rstrip("*")
            if len(stem) < MIN_PREFIX:
                raise QuerySyntaxError(_("un préfixe demande au moins %(n)d lettres avant *") % {"n": MIN_PREFIX})
            return Word(stem, prefix=True)
        return Word(value)


def parse(query: str):
    """Return the tree of the query (None for an empty one); raise QuerySyntaxError.

    A query that only excludes words ("-pétrole") means every article but those.
    """
    return _Parser(tokenize(query)).parse()


def only_excludes(node) -> bool:
    """Return whether the query only excludes: "-pétrole", "NOT gaz -pétrole"."""
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(only_excludes(n) for n in node.nodes)
    return False


WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def plain_words(query: str) -> list[str]:
    """Return the words of a query with every operator and sign dropped."""
    return [w for w in WORD.findall(query) if w not in ("AND", "OR", "NOT")]


PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
MIN_YEAR = 1000  # the index stores dates from year 1000 on (Whoosh cannot parse earlier ones)


def parse_period_bound(text: str, *, end: bool):
    """Return the first (or, with end=True, the last) day of "2022", "2022-03" or "2022-03-15"."""
    import calendar
    from datetime import date

    match = PERIOD.match(text.strip())
    if not match:
        raise QuerySyntaxError(_("« %(text)s » n’est pas une date comme 2022, 2022-03 ou 2022-03-15") % {"text": text})
    year, month, day = (int(g) if g else None for g in match.groups())
    if year < MIN_YEAR:
        raise QuerySyntaxError(_("« %(text)s » est avant l’an %(year)d") % {"text": text, "year": MIN_YEAR})
    try:
        if day:
            return date(year, month, day)
        if month:
            return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return date(year, 12, 31) if end else date(year, 1, 1)
    except ValueError:
        raise QuerySyntaxError(_("« %(text)s » n’est pas une date réelle") % {"text": text}) from None


def parse_period(text: str):
    """Return (first day, last day) of a period: "2022-03", "2022-01..2022-06", "2022..", "..2021"."""
    start, sep, stop = text.partition("..")
    if not sep:
        stop = start
    first = parse_period_bound(start, end=False) if start.strip() else None
    last = parse_period_bound(stop, end=True) if stop.strip() else None
    if first is None and last is None:
        raise QuerySyntaxError(_("un intervalle de dates demande au moins une borne"))
    if first and last and first > last:
        raise QuerySyntaxError(_("l’intervalle « %(text)s » finit avant de commencer") % {"text": text})
    return first, last
