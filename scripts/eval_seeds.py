"""Run extraction on the sample pages and print its scores against the reference annotations.

Usage: .venv/bin/python scripts/eval_seeds.py [GOLD.json] [FOLDER]
(the same figures as `manage.py evaluate_extraction GOLD.json FOLDER`, without Django).
"""
import json
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.ingest.evaluate import evaluate, extract_folder, render_report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
gold_path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "gold" / "seeds.json"
folder = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "fixtures" / "seeds"
gold = json.loads(gold_path.read_text(encoding="utf-8"))
print(render_report(evaluate(extract_folder(folder, gold["articles"], imported_on=date.today()), gold)))
