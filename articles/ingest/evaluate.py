"""Score extracted articles against reference annotations (the format of fixtures' gold JSON).

Actors and countries get precision, recall and F1 (optional entries neither reward nor penalise;
listed non-actors and non-countries are reported when extracted). Title, date (at the reference's
precision) and source get an accuracy; leaked boilerplate strings are listed per file.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from .entities import DEFAULT_MODEL
from .types import DAY, MONTH, UNKNOWN, YEAR, ArticleData

PRECISION_ORDER = {UNKNOWN: 0, YEAR: 1, MONTH: 2, DAY: 3}
ISO_LENGTH = {YEAR: 4, MONTH: 7, DAY: 10}


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace("’", "'").replace("-", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def _spellings(actor) -> set[str]:
    return {normalise(actor.name), *(normalise(alias) for alias in actor.aliases)}


def _prf(true_positives: int, predicted: int, expected: int) -> dict:
    precision = true_positives / predicted if predicted else 1.0
    recall = true_positives / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": true_positives, "fp": predicted - true_positives, "fn": expected - true_positives,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def score_actors(article: ArticleData, gold: dict) -> dict:
    """Return counts and the names behind them for one article's actors."""
    expected = [{normalise(s) for s in group} for group in gold.get("actors", [])]
    optional = [{normalise(s) for s in group} for group in gold.get("actors_optional", [])]
    forbidden = {normalise(s) for s in gold.get("not_actors", [])}
    matched, false_positives, forbidden_found = set(), [], []
    for actor in article.actors:
        spellings = _spellings(actor)
        hit = next((i for i, group in enumerate(expected) if spellings & group and i not in matched), None)
        if hit is not None:
            matched.add(hit)
        elif any(spellings & group for group in expected + optional):
            continue  # a second spelling of a found actor, or an optional one
        else:
            false_positives.append(actor.name)
            if spellings & forbidden:
                forbidden_found.append(actor.name)
    missed = [sorted(group)[0] for i, group in enumerate(expected) if i not in matched]
    return {"tp": len(matched), "fp": len(false_positives), "fn": len(missed),
            "false_positives": false_positives, "missed": missed, "forbidden": forbidden_found}


def score_countries(article: ArticleData, gold: dict) -> dict:
    """Return counts and codes behind them for one article's countries."""
    predicted = {mention.code for mention in article.countries}
    expected, optional = set(gold.get("countries", [])), set(gold.get("countries_optional", []))
    counted = predicted - optional
    return {"tp": len(counted & expected), "fp": len(counted - expected), "fn": len(expected - predicted),
            "false_positives": sorted(counted - expected), "missed": sorted(expected - predicted),
            "forbidden": sorted(predicted & set(gold.get("not_countries", [])))}


def date_is_right(article: ArticleData, gold: dict) -> bool:
    """Tell whether the date agrees with the reference at the reference's precision."""
    if not gold.get("date"):
        return article.published_on is None and article.date_precision == UNKNOWN
    precision = gold["date_precision"]
    if article.published_on is None or PRECISION_ORDER[article.date_precision] < PRECISION_ORDER[precision]:
        return False
    return article.published_on.isoformat()[:ISO_LENGTH[precision]] == gold["date"][:ISO_LENGTH[precision]]


def extract_folder(folder: Path, names, *, imported_on: date | None = None, model: str = DEFAULT_MODEL) -> dict[str, ArticleData]:
    """Return the extraction of each named file of the folder, read as the importer reads it.

    A file missing, unreadable or giving no article is left out, and so scores as an empty article.
    """
    from .pipeline import extract_articles
    from .readers import read_file
    from .types import RawPage, ReadError

    pages = {}
    for name in names:
        try:
            items = read_file(Path(folder) / name).items
        except ReadError:
            continue
        if items and isinstance(items[0], RawPage):
            pages[name] = items[0]
    extracted = extract_articles(((page.text, {"raw_format": page.raw_format, "imported_on": imported_on})
                                  for page in pages.values()), model=model)
    return {name: article for name, article in zip(pages, extracted) if isinstance(article, ArticleData)}


def evaluate(predictions: dict[str, ArticleData], gold_file: dict) -> dict:
    """Return per-file details and overall figures for predictions keyed by file name."""
    files, totals = {}, {"actors": [0, 0, 0], "countries": [0, 0, 0]}
    right = {"title": 0, "date": 0, "source": 0}
    for name, gold in gold_file["articles"].items():
        article = predictions.get(name) or ArticleData(body="", raw="")
        actors, countries = score_actors(article, gold), score_countries(article, gold)
        for field, scores in (("actors", actors), ("countries", countries)):
            totals[field] = [a + b for a, b in zip(totals[field], (scores["tp"], scores["fp"], scores["fn"]))]
        body = normalise(article.body)
        checks = {
            "title": normalise(article.title) == normalise(gold.get("title") or ""),
            "date": date_is_right(article, gold),
            "source": (normalise(article.source) in {normalise(s) for s in gold["source"]}) if gold.get("source")
            else not article.source,
        }
        for field, ok in checks.items():
            right[field] += ok
        files[name] = {
            "actors": actors, "countries": countries, **checks,
            "predicted": {"title": article.title, "source": article.source, "date_precision": article.date_precision,
                          "date": article.published_on.isoformat() if article.published_on else None},
            "leaked_boilerplate": [s for s in gold.get("boilerplate", []) if normalise(s) in body],
        }
    count = len(gold_file["articles"])
    return {
        "files": files,
        "actors": _prf(totals["actors"][0], totals["actors"][0] + totals["actors"][1],
                       totals["actors"][0] + totals["actors"][2]),
        "countries": _prf(totals["countries"][0], totals["countries"][0] + totals["countries"][1],
                          totals["countries"][0] + totals["countries"][2]),
        "accuracy": {field: f"{value}/{count}" for field, value in right.items()},
        "forbidden": {name: f["actors"]["forbidden"] + f["countries"]["forbidden"]
                      for name, f in files.items() if f["actors"]["forbidden"] or f["countries"]["forbidden"]},
        "leaked_boilerplate": {name: f["leaked_boilerplate"] for name, f in files.items() if f["leaked_boilerplate"]},
    }


def render_report(report: dict) -> str:
    """Return the evaluation as a readable text table."""
    lines = [f"{'field':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for field in ("actors", "countries"):
        s = report[field]
        lines.append(f"{field:<10} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['f1']:>6.3f} "
                     f"{s['tp']:>4} {s['fp']:>4} {s['fn']:>4}")
    lines.append("")
    lines += [f"{field:<10} accuracy {value}" for field, value in report["accuracy"].items()]
    lines.append("")
    for name, details in report["files"].items():
        problems = []
        for field in ("actors", "countries"):
            if details[field]["false_positives"]:
                problems.append(f"{field} extra: {', '.join(details[field]['false_positives'])}")
            if details[field]["missed"]:
                problems.append(f"{field} missed: {', '.join(details[field]['missed'])}")
        problems += [f"{field} wrong: {details['predicted'][field]!r}" for field in ("title", "source")
                     if not details[field]]
        if not details["date"]:
            problems.append(f"date wrong: {details['predicted']['date']} ({details['predicted']['date_precision']})")
        if details["leaked_boilerplate"]:
            problems.append(f"boilerplate left: {', '.join(details['leaked_boilerplate'])}")
        lines.append(f"{name}: {'ok' if not problems else '; '.join(problems)}")
    lines.append("")
    lines.append(f"forbidden extracted: {report['forbidden'] or 'none'}")
    lines.append(f"boilerplate leaked: {report['leaked_boilerplate'] or 'none'}")
    return "\n".join(lines)
