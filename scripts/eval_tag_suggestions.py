"""Measure the learned tag suggestions: precision and recall of the proposals on a held-out split.

    .venv/bin/python scripts/eval_tag_suggestions.py [--n 3000] [--seed 7] [--curated 1.0]
        [--database-url postgres://postgres@127.0.0.1:5432/newsarchive_eval_tags]

The corpus is synthetic and its tags are true by construction. Each of six topics has its own
vocabulary (about thirty words and phrases: "embargo", "gazoduc", "obus" ...). An article treats
one to three topics: each gets two to four sentences made of that topic's words in shared
frames ("Selon le ministère, {a} et {b} restent au cœur des discussions."), among three to six
sentences of neutral news prose; its tags are exactly the topics it treats. To make it hard, half
the articles also mention a topic they do not treat in one passing sentence (a word, or two in a
frame like the topical ones), which is not a tag: a topic is a tag when the article gives it two
sentences or more. The frames and the neutral prose are common to all topics, and some words
belong to two topics ("exportations", "Moscou").

The articles are stored through the project's services in a separate database (created if
missing, emptied). A split of --curated of the training articles (70 %) get their tags as
confirmed tags, as curators would; the other 30 % have none. articles.tagging.suggestions.suggest()
then runs exactly as `manage.py suggest_tags` does, and its proposals on the held-out 30 % are
compared with their true tags: precision, recall and F1 per tag and over all, at the threshold
the archive uses, and at others for comparison (from the same trained models, re-thresholded).
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TOPICS = {
    "Sanctions": ["sanctions", "embargo", "gel des avoirs", "listes noires", "banques russes", "système SWIFT", "contournement",
                  "Trésor américain", "mesures restrictives", "oligarques", "exportations interdites", "amendes",
                  "pays tiers", "sociétés écrans", "restrictions financières", "douanes", "biens à double usage",
                  "avoirs gelés", "paquet de mesures", "Bruxelles", "exportations", "Moscou"],
    "Énergie": ["gazoduc", "pétrole brut", "gaz naturel liquéfié", "Power of Siberia", "raffineries", "barils", "prix du gaz",
                "Gazprom", "contrats d’approvisionnement", "Rosneft", "charbon", "terminaux méthaniers", "pipelines",
                "production pétrolière", "OPEP", "centrales", "livraisons de gaz", "réserves", "hydrocarbures",
                "Moscou", "exportations"],
    "Armement": ["drones", "munitions", "obus", "missiles", "composants électroniques", "blindés", "livraisons d’armes",
                 "artillerie", "défense aérienne", "chars", "usines d’armement", "fusils", "radars", "hélicoptères",
                 "arsenal", "systèmes de guidage", "poudre", "roquettes", "industrie de défense"],
    "Diplomatie": ["sommet", "visite d’État", "communiqué conjoint", "ministre des Affaires étrangères", "médiation",
                   "plan de paix", "ambassadeur", "négociations", "partenariat stratégique", "Conseil de sécurité",
                   "résolution", "poignée de main", "rencontre bilatérale", "déclaration commune", "émissaire",
                   "protocole", "vote à l’ONU", "entretien téléphonique", "Pékin"],
    "Agriculture": ["céréales", "blé", "engrais", "corridor de la mer Noire", "récolte", "silos", "maïs", "tournesol",
                    "port d’Odessa", "agriculteurs", "semences", "prix du blé", "cargos de grain", "moisson", "terres arables",
                    "sécurité alimentaire", "élevage", "exportations"],
    "Technologie": ["semi-conducteurs", "puces", "satellites", "Huawei", "cybersécurité", "intelligence artificielle",
                    "réseaux 5G", "logiciels", "serveurs", "piratage", "centres de données", "brevets", "microprocesseurs",
                    "start-up", "télécommunications", "cryptage", "câbles sous-marins", "Pékin"],
}
FRAMES = [
    "Selon le ministère, {a} et {b} restent au cœur des discussions.",
    "Les experts interrogés estiment que {a} pèse davantage que {b} cette année.",
    "La question de {a} a dominé la réunion, tout comme {b}.",
    "Un rapport publié mardi détaille {a}, puis revient sur {b}.",
    "À Moscou comme à Pékin, on évoque {a} et, plus discrètement, {b}.",
    "Les chiffres sur {a} surprennent les observateurs, qui attendaient autre chose de {b}.",
    "Le gouvernement promet des annonces sur {a} et sur {b} d’ici la fin du mois.",
    "Des responsables ont confirmé que {a} serait discuté avant {b}.",
    "Plusieurs analystes relient {a} à {b}, sans preuve décisive.",
    "Dans la presse locale, {a} fait la une, loin devant {b}.",
]
NEUTRAL = [
    "Le porte-parole a refusé de commenter ces informations.",
    "La conférence de presse a duré près de deux heures.",
    "Les observateurs restent prudents sur la suite des événements.",
    "Aucune date n’a encore été fixée pour la prochaine étape.",
    "Le texte doit encore être examiné par les députés.",
    "La nouvelle a été accueillie avec réserve dans la capitale.",
    "Les détails de l’accord n’ont pas été rendus publics.",
    "Le ministre s’exprimera de nouveau la semaine prochaine.",
    "La situation reste tendue selon plusieurs témoins.",
    "Les marchés ont réagi sans excès à l’annonce.",
    "Cette décision intervient après des semaines de débats.",
    "Les autorités n’ont pas donné d’autre précision.",
    "Un responsable a parlé d’une étape importante.",
    "L’opposition dénonce une décision précipitée.",
]
PASSING = "Un autre dossier, {w}, a été brièvement évoqué en fin de séance."


def make_article(rng: random.Random, n: int) -> tuple[str, str, list[str]]:
    """Return (title, body, tags) of one synthetic article whose tags its text treats."""
    topics = rng.sample(sorted(TOPICS), rng.choices([1, 2, 3], weights=[50, 35, 15])[0])
    sentences = []
    for topic in topics:
        for _ in range(rng.randint(2, 4)):
            a, b = rng.sample(TOPICS[topic], 2)
            sentences.append(rng.choice(FRAMES).format(a=a, b=b))
    sentences += rng.sample(NEUTRAL, rng.randint(3, 6))
    if rng.random() < 0.5:  # a passing mention of a topic the article does not treat: one sentence, no tag
        other = rng.choice([t for t in TOPICS if t not in topics])
        a, b = rng.sample(TOPICS[other], 2)
        sentences.append(rng.choice([PASSING.format(w=a), rng.choice(FRAMES).format(a=a, b=b)]))
    rng.shuffle(sentences)
    title = f"Dépêche n° {n} : {rng.choice(TOPICS[topics[0]])}"
    return title, " ".join(sentences), sorted(topics)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--curated", type=float, default=1.0, help="share of the training split whose tags are confirmed")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/newsarchive_eval_tags")
    return parser.parse_args()


def setup(args) -> None:
    if args.database_url.rstrip("/").endswith("/newsarchive"):
        sys.exit("refusing to run on the development database")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["SEARCH_URL"] = tempfile.mkdtemp(prefix="eval_tags_index_")
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsarchive.settings"
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("ensure_database", verbosity=0)
    call_command("migrate", verbosity=0)


def scores(truth: dict[int, set], proposed: dict[int, set], tags) -> list[tuple]:
    rows = []
    for tag in [*tags, None]:
        tp = fp = fn = 0
        for pk, true in truth.items():
            got = proposed.get(pk, set())
            for t in ([tag] if tag else tags):
                tp += t in got and t in true
                fp += t in got and t not in true
                fn += t not in got and t in true
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((tag or "all tags", precision, recall, f1, tp, fp, fn))
    return rows


def main():
    args = parse_args()
    setup(args)
    from django.db import connection

    from articles import services
    from articles.ingest.types import ArticleData
    from articles.models import Article, ArticleTag
    from articles.tagging import classifier, suggestions

    rng = random.Random(args.seed)
    corpus = [make_article(rng, n) for n in range(args.n)]
    order = list(range(args.n))
    rng.shuffle(order)
    train = set(order[: int(args.n * 0.7)])
    curated = set(sorted(train)[: int(len(train) * args.curated)])
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE articles_article, articles_article_tags, articles_tag, articles_tagrule, articles_trainingrequest,"
                       " articles_pendingindexupdate RESTART IDENTITY CASCADE")
    items = [(ArticleData(body=body, raw=body, title=title, tags=tags if i in curated else [], raw_format="json"), f"eval/{i}")
             for i, (title, body, tags) in enumerate(corpus)]
    services.articles_bulk_upsert(items=items, reindex=False)
    by_origin = dict(Article.objects.values_list("origin", "pk"))
    truth = {by_origin[f"eval/{i}"]: set(corpus[i][2]) for i in range(args.n) if i not in train}

    low = 0.3
    report = suggestions.suggest(threshold=low)
    tags = sorted(TOPICS)
    print(f"{args.n} synthetic articles, {len(curated)} with confirmed tags (training), {len(truth)} held out; "
          f"{report.articles} scored")
    links = list(ArticleTag.objects.filter(origin="suggestion", article_id__in=list(truth)).values_list("article_id", "tag__name", "confidence"))
    for threshold in (0.5, classifier.THRESHOLD, 0.7, 0.8):
        proposed: dict[int, set] = {}
        for pk, tag, confidence in links:
            if confidence >= threshold:
                proposed.setdefault(pk, set()).add(tag)
        mark = "  (the archive's threshold)" if threshold == classifier.THRESHOLD else ""
        print(f"\nthreshold {threshold:.2f}{mark}")
        print(f"{'tag':<14}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
        for tag, precision, recall, f1, tp, fp, fn in scores(truth, proposed, tags):
            print(f"{tag:<14}{precision:>10.3f}{recall:>8.3f}{f1:>7.3f}{tp:>6}{fp:>6}{fn:>6}")


if __name__ == "__main__":
    main()
