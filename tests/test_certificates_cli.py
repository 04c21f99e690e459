"""`peer-trainer certificates`, `verify` and `export-school-key` and their exit codes."""

from __future__ import annotations

import base64
import json

from cohort_helpers import make_ready, school, trainee

from app.cli import main
from app.modules.content import load_content
from app.modules.keys import SigningKey


def cli(locations, *args) -> int:
    return main(["--data-dir", str(locations.data_dir), "--content", str(locations.content_dir), *args])


def test_batch_then_verify_from_a_terminal(db, locations, tmp_path, capsys, qapp):
    coordinator, trainer = school(db)
    content = load_content(locations.content_dir)
    make_ready(db, content, trainee(db, "Amara Okafor", "9B", coordinator), trainer)
    trainee(db, "Diego Fernández", "9B", coordinator)
    out = tmp_path / "certs"
    assert cli(locations, "certificates", "--out", str(out)) == 0
    printed = capsys.readouterr()
    assert "PHT-" in printed.out and "Amara Okafor" in printed.out
    pdf = next(out.glob("*.pdf"))
    assert cli(locations, "export-school-key", str(tmp_path / "school.pub")) == 0
    capsys.readouterr()
    assert cli(locations, "verify", str(pdf), "--key", str(tmp_path / "school.pub")) == 0
    assert "VALID" in capsys.readouterr().out

    # The code, changed by one field: not valid, exit 1, and the failing check is named.
    raw = pdf.read_bytes()
    from app.modules.certificates import code_in_pdf

    prefix, fields, sig = code_in_pdf(raw).split(".")
    payload = json.loads(base64.urlsafe_b64decode(fields + "=" * (-len(fields) % 4)))
    payload["name"] = "Someone Else"
    forged = f"{prefix}.{base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b'=').decode()}.{sig}"
    assert cli(locations, "verify", forged, "--key", str(tmp_path / "school.pub")) == 1
    assert "signature check failed" in capsys.readouterr().out

    # Another school's key: exit 1, the key check fails.
    SigningKey.load_or_create(tmp_path / "other").export_public(tmp_path / "other.pub", "Hillside")
    assert cli(locations, "verify", str(pdf), "--key", str(tmp_path / "other.pub")) == 1
    assert "school key check failed" in capsys.readouterr().out

    # Unusable input: exit 2 with a message.
    (tmp_path / "bad.pub").write_text("not a key")
    assert cli(locations, "verify", str(pdf), "--key", str(tmp_path / "bad.pub")) == 2
    assert "not a Peer Helper Trainer school key" in capsys.readouterr().err
    assert cli(locations, "certificates", "--out", str(out), "--trainee", "Nobody Here") == 2
    # Only Diego asked for, and he is not ready: nothing issued, exit 1.
    assert cli(locations, "certificates", "--out", str(out), "--trainee", "Diego Fernández") == 1
    assert "not ready: Diego Fernández" in capsys.readouterr().err
