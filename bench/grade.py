"""Batch grading throughput: `python bench/grade.py --patents 100000` prints patents/s (target ≥ 5,000/s).

Generates N patents with IPC codes straight into a fresh SQLite (or --pg) database built by the
migrations, then runs the same grade_patents() the `flask grade-patents` command runs, and prints
one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patents", type=int, default=100_000)
    parser.add_argument("--db", default=None, help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app import create_app
    from app.domain import patent_numbers
    from app.extensions import db
    from app.models import Patent, PatentIPC
    from app.services import grading

    rng = random.Random(7)
    ipcs = ["H01M 10/052", "H01M 4/58", "C01B 32/184", "H01L 29/78", "G06F 21/57", "E21C 35/24", "B61D 17/00"]
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{tmp}/grade.sqlite3"
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade()
            t = time.perf_counter()
            for start in range(0, args.patents, 10_000):
                rows, codes = [], []
                for i in range(start, min(args.patents, start + 10_000)):
                    kind = rng.choice("1112")
                    year = rng.randint(2008, 2025)
                    rows.append({"id": i + 1, "application_number": patent_numbers.make(year, kind, i),
                                 "title": f"专利{i}", "abstract": "", "publication_number": "",
                                 "patent_type": "invention" if kind == "1" else "utility_model",
                                 "legal_status": rng.choice(["granted"] * 6 + ["pending", "lapsed"]),
                                 "filing_date": date(year, 1, 1) + timedelta(days=rng.randint(0, 360)),
                                 "claims_count": rng.randint(1, 20), "industry": "carbon_materials"})
                    for pos, code in enumerate(rng.sample(ipcs, rng.randint(1, 3))):
                        codes.append({"patent_id": i + 1, "code": code, "position": pos})
                db.session.execute(sa.insert(Patent), rows)
                db.session.execute(sa.insert(PatentIPC), codes)
                db.session.commit()
            generate_s = time.perf_counter() - t
            result = grading.grade_patents(today=date(2026, 11, 25))
            db.engine.dispose()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"patents": result["patents"], "grade_seconds": result["seconds"],
                      "patents_per_s": result["per_s"], "generate_seconds": round(generate_s, 1),
                      "grades": {k: v for k, v in result.items() if len(k) == 1}, "peak_rss_mb": round(peak_mb)}))


if __name__ == "__main__":
    main()
