"""evaluate_extraction: the scores a person reads, on invented pages and annotations."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import SEEDS

PAGE = ("Le Mali et le Niger signent un accord sur l'eau\n\n"
        "Par Awa Traoré, Sahel Hebdo avec AFP\n"
        "Publié le 3 février 2023 à 10h12\n\n"
        "Le président malien Assimi Goïta a reçu à Bamako son homologue nigérien. "
        "M. Goïta a salué un accord « historique » avec le Niger.\n\n"
        "Abonnez-vous à notre newsletter\n\n"
        "L'accord doit être ratifié par les deux parlements, a précisé le ministre Abdoulaye Diop.\n")
GOLD = {"articles": {
    "a.txt": {"title": "Le Mali et le Niger signent un accord sur l'eau", "date": "2023-02-03", "date_precision": "day",
              "source": ["Sahel Hebdo"], "actors": [["Assimi Goïta", "Goïta"], ["Abdoulaye Diop"], ["Bazoum"]],
              "not_actors": ["AFP"], "countries": ["ML", "NE"], "boilerplate": ["ratifié par les deux parlements"]},
    "gone.txt": {"title": "", "date": None, "source": [], "actors": [], "countries": ["FR"]},
}}


def test_scores_per_field_with_what_went_wrong_per_file(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    call_command("evaluate_extraction", str(tmp_path / "gold.json"), str(tmp_path), "--imported-on", "2023-03-01")
    out, err = capsys.readouterr()
    assert err.strip() == f"missing from {tmp_path} (scored as empty): gone.txt"
    assert out.strip().splitlines() == [
        "field      precision  recall     F1   tp   fp   fn",
        "actors         1.000   0.667  0.800    2    0    1",
        "countries      1.000   0.667  0.800    2    0    1",
        "",
        "title      accuracy 2/2",
        "date       accuracy 2/2",
        "source     accuracy 2/2",
        "",
        "a.txt: actors missed: bazoum; boilerplate left: ratifié par les deux parlements",
        "gone.txt: countries missed: FR",
        "",
        "forbidden extracted: none",
        "boilerplate leaked: {'a.txt': ['ratifié par les deux parlements']}",
    ]


def test_a_file_that_is_not_reference_annotations_is_refused(tmp_path):
    (tmp_path / "gold.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(CommandError, match=r'gold.json: cannot be read as reference annotations: expected an object'):
        call_command("evaluate_extraction", str(tmp_path / "gold.json"), str(tmp_path))


GOLD_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "gold" / "seeds.json"


@pytest.mark.skipif(not GOLD_SEEDS.exists(), reason="the reference annotations of the sample are not beside the repository")
def test_the_command_and_the_script_agree_on_the_sample_and_reach_the_targets(capsys):
    call_command("evaluate_extraction", str(GOLD_SEEDS), str(SEEDS))
    out = capsys.readouterr().out
    script = subprocess.run([sys.executable, "scripts/eval_seeds.py", str(GOLD_SEEDS), str(SEEDS)], capture_output=True,
                            text=True, check=True, cwd=SEEDS.parents[1]).stdout
    assert out == script
    assert out.splitlines()[1:3] == ["actors         1.000   1.000  1.000   20    0    0",
                                     "countries      1.000   1.000  1.000   22    0    0"]
    assert out.splitlines()[-2:] == ["forbidden extracted: none", "boilerplate leaked: none"]
