"""Which text finds the article in a raw text page best: ours, jusText's or trafilatura's?

    .venv/bin/python scripts/compare_locators.py [GOLD.json] [PAGES_FOLDER]

For every text page of the gold file (default: ../shared/gold/dev), the article's body is taken
three ways: NewsArchive's own locator (articles/ingest/locate.py, through clean_text); jusText's
paragraph classifier with its French stop list, each line of the page a paragraph; trafilatura on a
minimal HTML page made of the lines, one <p> each. The same actor and country extraction then runs
on each body, and the gold file scores it: actors and countries P/R/F1, boilerplate strings left,
and the time each locator takes per page (spaCy's time is the same for all and not counted).
"""
from __future__ import annotations

import html
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")


def lines_of(raw: str) -> list[str]:
    return [line.strip() for line in raw.splitlines() if line.strip()]


def ours(raw: str) -> str:
    from articles.ingest.clean import clean_text

    return clean_text(raw).body


def with_justext(raw: str) -> str:
    import justext

    page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines_of(raw)) + "</body></html>"
    paragraphs = justext.justext(page, justext.get_stoplist("French"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def with_trafilatura(raw: str) -> str:
    import trafilatura

    page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines_of(raw)) + "</body></html>"
    text = trafilatura.extract(page, include_comments=False, include_tables=False, favor_precision=True) or ""
    return "\n\n".join(lines_of(text))


def main() -> None:
    import django

    django.setup()
    from articles.ingest.countries import find_countries
    from articles.ingest.entities import find_actors, nlp
    from articles.ingest.evaluate import evaluate
    from articles.ingest.types import ArticleData

    dev = ROOT.parent / "shared" / "gold" / "dev"
    gold_path = Path(sys.argv[1]) if len(sys.argv) > 1 else dev / "gold.json"
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else dev / "pages"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    gold = {**gold, "articles": {name: entry for name, entry in gold["articles"].items() if not name.endswith(".html")}}
    raws = {name: (folder / name).read_text(encoding="utf-8") for name in gold["articles"]}
    nlp()  # loaded before any timing
    boilerplate = sum(len(entry.get("boilerplate", [])) for entry in gold["articles"].values())
    print(f"{len(raws)} text pages, {boilerplate} boilerplate strings\n")
    print(f"{'locator':<12} {'actors P':>8} {'R':>6} {'F1':>6} {'countries F1':>13} {'boilerplate left':>17} "
          f"{'ms/page p50':>12} {'p95':>6}")
    for label, locate in (("ours", ours), ("jusText", with_justext), ("trafilatura", with_trafilatura)):
        predictions, times = {}, []
        for name, raw in raws.items():
            started = time.perf_counter()
            body = locate(raw)
            times.append((time.perf_counter() - started) * 1000)
            article = ArticleData(body=body, raw=raw)
            article.actors = find_actors(nlp()(body))
            article.countries = find_countries(body)
            predictions[name] = article
        report = evaluate(predictions, gold)
        left = sum(len(strings) for strings in report["leaked_boilerplate"].values())
        p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
        a, c = report["actors"], report["countries"]
        print(f"{label:<12} {a['precision']:>8.3f} {a['recall']:>6.3f} {a['f1']:>6.3f} {c['f1']:>13.3f} "
              f"{left:>10} of {boilerplate:<4} {statistics.median(times):>12.1f} {p95:>6.1f}")


if __name__ == "__main__":
    main()
