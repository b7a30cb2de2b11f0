"""The query language of the search box, parsed into a small tree. Pure: no database, no engine.

    words         every word is required:              sanctions pékin
    OR            either side:                         drones OR missiles
    NOT, -        excludes:                            sanctions -pétrole, sanctions NOT pétrole
    "..."         a phrase, words in this order:       "aide militaire"
    word*         words starting so:                   sanction*
    ( )           grouping:                            (drones OR missiles) iran
    field:value   actor:, country:, tag:, source:, date: (date:2022, date:2022-03,
                  date:2022-01..2022-06, date:2022-03-15.., date:..2021)

A query that breaks these rules raises QuerySyntaxError; the caller falls back to its plain words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

FIELDS = {"actor", "country", "tag", "source", "date"}
# French names of the fields, so that "acteur:" or "pays:" work too.
FIELD_ALIASES = {"acteur": "actor", "pays": "country", "theme": "tag", "thème": "tag", "sujet": "tag"}
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
            raise QuerySyntaxError("a quotation mark is not closed")
        if kind == "field":
            name = match.group("fname").lower()
            name = FIELD_ALIASES.get(name, name)
            if name not in FIELDS:
                tokens.append(("word", match.group("field")))
                continue
            value = match.group("fquoted") if match.group("fquoted") is not None else match.group("fvalue")
            if not value.strip():
                raise QuerySyntaxError(f"“{name}:” needs a value")
            tokens.append(("field", f"{name}\x00{value.strip()}"))
        elif kind == "phrase":
            tokens.append(("phrase", match.group("ptext")))
        elif kind == "word" and re.fullmatch(r"[^\W\d_]+:", match.group("word")) and FIELD_ALIASES.get(
            match.group("word")[:-1].lower(), match.group("word")[:-1].lower()
        ) in FIELDS:
            raise QuerySyntaxError(f"“{match.group('word')}” needs a value")
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
            raise QuerySyntaxError("a closing parenthesis has no opening one" if self.peek() == "rparen" else "unexpected words")
        return node

    def or_expr(self):
        nodes = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, "rparen", "OR", "AND"):
                raise QuerySyntaxError("OR needs a word on each side")
            nodes.append(self.and_expr())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def and_expr(self):
        nodes = [self.unary()]
        while self.peek() not in (None, "rparen", "OR"):
            if self.peek() == "AND":
                self.take()
                if self.peek() in (None, "rparen", "OR", "AND"):
                    raise QuerySyntaxError("AND needs a word on each side")
            nodes.append(self.unary())
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def unary(self):
        kind = self.peek()
        if kind in ("NOT", "minus"):
            self.take()
            if self.peek() in (None, "rparen", "OR", "AND"):
                raise QuerySyntaxError("NOT needs a word after it")
            return Not(self.unary())
        if kind == "lparen":
            self.take()
            if self.peek() == "rparen":
                raise QuerySyntaxError("empty parentheses")
            if self.peek() is None:
                raise QuerySyntaxError("a parenthesis is not closed")
            node = self.or_expr()
            if self.peek() != "rparen":
                raise QuerySyntaxError("a parenthesis is not closed")
            self.take()
            return node
        if kind in (None, "rparen", "OR", "AND"):
            raise QuerySyntaxError("an operator has nothing to work on")
        kind, value = self.take()
        if kind == "phrase":
            if not value.strip():
                raise QuerySyntaxError("empty quotation marks")
            return Phrase(" ".join(value.split()))
        if kind == "field":
            name, _, text = value.partition("\x00")
            return Field(name, text)
        if value.endswith("*"):
            stem = value.rstrip("*")
            if len(stem) < MIN_PREFIX:
                raise QuerySyntaxError(f"a prefix needs at least {MIN_PREFIX} letters before *")
            return Word(stem, prefix=True)
        return Word(value)


def parse(query: str):
    """Return the tree of the query (None for an empty one); raise QuerySyntaxError."""
    node = _Parser(tokenize(query)).parse()
    if _only_negative(node):
        raise QuerySyntaxError("a query cannot only exclude words")
    return node


def _only_negative(node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(_only_negative(n) for n in node.nodes)
    return False


WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def plain_words(query: str) -> list[str]:
    """Return the words of a query with every operator and sign dropped."""
    return [w for w in WORD.findall(query) if w not in ("AND", "OR", "NOT")]


PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_period_bound(text: str, *, end: bool):
    """Return the first (or, with end=True, the last) day of "2022", "2022-03" or "2022-03-15"."""
    import calendar
    from datetime import date

    match = PERIOD.match(text.strip())
    if not match:
        raise QuerySyntaxError(f"“{text}” is not a date such as 2022, 2022-03 or 2022-03-15")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            return date(year, month, day)
        if month:
            return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return date(year, 12, 31) if end else date(year, 1, 1)
    except ValueError:
        raise QuerySyntaxError(f"“{text}” is not a real date") from None


def parse_period(text: str):
    """Return (first day, last day) of a period: "2022-03", "2022-01..2022-06", "2022..", "..2021"."""
    start, sep, stop = text.partition("..")
    if not sep:
        stop = start
    first = parse_period_bound(start, end=False) if start.strip() else None
    last = parse_period_bound(stop, end=True) if stop.strip() else None
    if first is None and last is None:
        raise QuerySyntaxError("a date range needs at least one end")
    if first and last and first > last:
        raise QuerySyntaxError(f"the range “{text}” ends before it starts")
    return first, last
