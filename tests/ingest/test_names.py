"""One key for the spellings of a name across French and English transliterations."""
import pytest

from articles.ingest.names import name_key


@pytest.mark.parametrize("french, english", [
    ("Vladimir Poutine", "Vladimir Putin"), ("Sergueï Choïgou", "Sergei Shoigu"), ("Zelensky", "Zelenskyy"),
    ("Volodymyr Zelenski", "Volodymyr Zelensky"), ("Evgueni Prigojine", "Yevgeny Prigozhin"),
    ("Iouri Ouchakov", "Yuri Ushakov"), ("Tchernychev", "Chernyshev"), ("Dmitri Medvedev", "Dmitry Medvedev"),
    ("M. Poutine", "Putin"),
])
def test_spellings_of_one_name_share_a_key(french, english):
    assert name_key(french) == name_key(english)


@pytest.mark.parametrize("one, other", [
    ("Emmanuel Macron", "Emmanuel Micron"), ("Li Keqiang", "Li Qiang"), ("Putin", "Patton"),
    ("Angela Merkel", "Angela Merkle"), ("Jean Dupont", "Jeanne Dupont"), ("Marine Le Pen", "Marin Le Pen"),
])
def test_different_names_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)
