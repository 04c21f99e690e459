"""Benchmark: issue 200 certificates in one batch (sign, record, draw the PDF), as a coordinator would.

Target: at least 20 certificates per second on a 2-core machine. Also measured in the same run,
for scale: drawing one certificate page to PDF alone, and signing alone.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_certificates.py [--count 200]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cohort_seed import seed  # noqa: E402

from app.modules import certificate_batch as batch  # noqa: E402
from app.modules import certificates as certs  # noqa: E402
from app.modules.certificate_pdf import ensure_gui, write_pdf  # noqa: E402
from app.modules.content import load_content  # noqa: E402
from app.modules.records.database import Database  # noqa: E402
from app.paths import bundled_content, resolve_locations  # noqa: E402

TARGET = 20.0


def _coordinator(db) -> str:
    from app.modules.records import profile_store

    return next(p.id for p in profile_store.list_profiles(db) if p.role == profile_store.COORDINATOR)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    ensure_gui()
    with tempfile.TemporaryDirectory() as tmp:
        locations = resolve_locations(data_dir=Path(tmp) / "data", content_dir=bundled_content())
        db = Database.open(locations)
        content = load_content(locations.content_dir)
        _trainer, ids = seed(db, content, args.count, steps=args.count * 50, ready_share=1.0)
        settings = {
            "school.name": "Riverside High School",
            "certificate.signatory_name": "Ms Rivera",
            "certificate.signatory_title": "Peer support coordinator",
        }
        batch.school_signing_key(locations)  # made at setup in real use
        start = time.perf_counter()
        result = batch.issue(db, locations, content, settings, ids, Path(tmp) / "out", _coordinator(db))
        elapsed = time.perf_counter() - start
        assert len(result.issued) == args.count, result.report()
        rate = args.count / elapsed

        # For scale, in the same run: the PDF drawing alone, and the signature alone.
        record = result.issued[0]
        from app.modules.records import certificate_store

        stored = certificate_store.by_number(db, record.number)
        code = certs.make_code(stored.payload, stored.signature)
        data = certs.CertificateData.from_payload(stored.payload)
        look = certs.look_from_settings(settings, content.program.title, locations.data_dir)
        n = 50
        t = time.perf_counter()
        for i in range(n):
            write_pdf(data, code, Path(tmp) / f"draw{i}.pdf", look)
        draw_ms = (time.perf_counter() - t) / n * 1000
        key = batch.school_signing_key(locations)
        t = time.perf_counter()
        for _ in range(n):
            certs.sign_payload(stored.payload, key)
        sign_ms = (time.perf_counter() - t) / n * 1000
        db.close()
    print(
        f"{args.count} certificates in {elapsed:.2f} s: {rate:.1f} certificates/s (target >= {TARGET:.0f}/s) "
        f"{'OK' if rate >= TARGET else 'TOO SLOW'}"
    )
    print(
        f"per certificate: {elapsed / args.count * 1000:.1f} ms in the batch; drawing one PDF alone {draw_ms:.1f} ms; "
        f"signing alone {sign_ms:.2f} ms"
    )
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
