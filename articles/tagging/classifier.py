"""Learn tags from curated examples: one logistic regression per tag over TF-IDF word features.

Pure functions of texts and labels (scikit-learn, no database), so the archive and the
evaluation script (scripts/eval_tag_suggestions.py) run exactly the same code.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from spacy.lang.fr.stop_words import STOP_WORDS

MIN_EXAMPLES = 10  # confirmed articles a tag needs before it is suggested
THRESHOLD = 0.6  # probability from which a suggestion is proposed (see the README's measurement)
UNLABELLED_NEGATIVES = 5  # per positive, when curated counter-examples are fewer than the examples
UNLABELLED_SHARE = 0.2  # of the articles without the tag, at most, taken as counter-examples


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


TOKEN_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"
# As the vectorizer sees them: folded and cut into tokens ("quelqu’un" gives "quelqu").
FOLDED_STOP_WORDS = sorted({token for word in STOP_WORDS for token in re.findall(TOKEN_PATTERN, fold(word))})


def article_text(title: str, body: str) -> str:
    return f"{title}\n{body}" if title else body


def make_vectorizer() -> TfidfVectorizer:
    """Words of three letters or more, accents folded, French stop words dropped, rare words too."""
    return TfidfVectorizer(strip_accents="unicode", lowercase=True, stop_words=FOLDED_STOP_WORDS,
                           token_pattern=TOKEN_PATTERN, sublinear_tf=True, min_df=2, max_df=0.5,
                           max_features=100_000, dtype=np.float32)


@dataclass
class TagModel:
    estimator: LogisticRegression
    positives: int
    negatives: int


def train(matrix, positives, negatives) -> TagModel | None:
    """Fit one tag's classifier on rows of matrix; None when either side is empty."""
    positives, negatives = list(positives), list(negatives)
    if not positives or not negatives:
        return None
    rows = positives + negatives
    labels = np.array([1] * len(positives) + [0] * len(negatives))
    estimator = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
    estimator.fit(matrix[rows], labels)
    return TagModel(estimator, len(positives), len(negatives))


def probabilities(model: TagModel, matrix, rows) -> np.ndarray:
    """Return the probability that each of these rows has the tag."""
    rows = list(rows)
    if not rows:
        return np.zeros(0)
    return model.estimator.predict_proba(matrix[rows])[:, 1]


def evidence_words(model: TagModel, vectorizer: TfidfVectorizer, vector, limit: int = 5) -> list[str]:
    """Return the words of one article that weigh most for the tag: what the suggestion rests on."""
    vector = vector.tocoo()
    weights = vector.data * model.estimator.coef_[0][vector.col]
    names = vectorizer.get_feature_names_out()
    order = np.argsort(-weights)
    return [str(names[vector.col[i]]) for i in order[:limit] if weights[i] > 0]


def sample_negatives(candidates: list[int], count: int, *, seed: int) -> list[int]:
    """Return `count` rows drawn from unlabelled candidates, the same for the same inputs."""
    if count >= len(candidates):
        return list(candidates)
    generator = np.random.default_rng(seed)
    return sorted(generator.choice(np.array(candidates), size=count, replace=False).tolist())
