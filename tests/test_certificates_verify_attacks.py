"""Issue 14 item 9: `peer-trainer verify` compares the printed text with the signed fields,
checks a signed revocation list, and never reads without limit."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from cohort_helpers import make_ready, school, trainee

from app.cli import main
from app.modules import certificates as certs
from app.modules.certificate_pdf import write_pdf
from app.modules.content import load_content
from app.modules.keys import SchoolKey, SigningKey
from app.modules.records import erasure, profile_store


def cli(locations, *args) -> int:
    return main(["--data-dir", str(locations.data_dir), "--content", str(locations.content_dir), *args])


def _two_ready(db, content) -> tuple[str, str, str]:
    coordinator, trainer = school(db)
    alice = trainee(db, "Alice Ready", "9B", coordinator)
    bob = trainee(db, "Bob Ready", "9B", coordinator)
    for t in (alice, bob):
        make_ready(db, content, t, trainer)
    return coordinator, alice, bob


@pytest.fixture
def issued(db, locations, tmp_path, capsys, qapp, seeded_once):
    """Two certified trainees, their PDFs, and the school key file (the records seeded once per run)."""
    content = load_content(locations.content_dir)
    coordinator, alice, bob = seeded_once.into(db, "verify_attacks.two_ready", lambda fresh: _two_ready(fresh, content))
    out = tmp_path / "certs"
    assert cli(locations, "certificates", "--out", str(out)) == 0
    assert cli(locations, "export-school-key", str(tmp_path / "school.pub")) == 0
    capsys.readouterr()
    pdfs = {p.name.split(" ", 1)[1].removesuffix(".pdf"): p for p in out.glob("*.pdf")}
    return {"coordinator": coordinator, "alice": alice, "bob": bob, "pdfs": pdfs, "key": tmp_path / "school.pub"}


def test_a_pdf_drawn_for_another_name_around_a_genuine_code_is_not_valid(issued, tmp_path, locations, capsys):
    genuine = issued["pdfs"]["Alice Ready"]
    key = SchoolKey.load(issued["key"])
    result = certs.verify_input(str(genuine), key)
    assert result.valid, result.lines()
    code = certs.code_in_pdf(genuine.read_bytes())
    look = certs.Look("Riverside High", result.data.programme, result.data.signatory_name, result.data.signatory_title)
    forged = write_pdf(dataclasses.replace(result.data, trainee_name="Mallory Evil"), code, tmp_path / "m.pdf", look)
    assert cli(locations, "verify", str(forged), "--key", str(issued["key"])) == 1
    out = capsys.readouterr().out
    assert out.startswith("NOT VALID: the printed text check failed")
    assert "name printed on the page is not the signed name (Alice Ready)" in out
    # The same with one module title changed instead of the name.
    title = result.data.modules[0][0]
    changed = dataclasses.replace(
        result.data, modules=((title + " (with distinction)", None), *result.data.modules[1:])
    )
    write_pdf(changed, code, tmp_path / "d.pdf", look)
    assert cli(locations, "verify", str(tmp_path / "d.pdf"), "--key", str(issued["key"])) == 1
    assert "printed text check failed" in capsys.readouterr().out


def test_a_pdf_whose_text_cannot_be_read_is_not_valid(issued, tmp_path, locations, capsys):
    raw = issued["pdfs"]["Alice Ready"].read_bytes()
    damaged = raw.replace(b"/FlateDecode", b"/LZWDecode", 1)  # a filter the reader refuses to guess at
    (tmp_path / "lzw.pdf").write_bytes(damaged)
    assert cli(locations, "verify", str(tmp_path / "lzw.pdf"), "--key", str(issued["key"])) == 1
    assert "cannot be read to compare it with the signed fields" in capsys.readouterr().out


def test_endless_or_huge_input_is_refused_quickly(issued, tmp_path, locations, capsys):
    started = time.process_time()  # CPU time of this process: the work done, which a busy machine cannot stretch
    assert cli(locations, "verify", "/dev/zero", "--key", str(issued["key"])) == 2
    assert "larger than 4 MB" in capsys.readouterr().err
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    assert cli(locations, "verify", str(big), "--key", str(issued["key"])) == 2
    assert time.process_time() - started < 5
    with pytest.raises(certs.CertificateError):
        certs.RevocationList.load(Path("/dev/zero"), SchoolKey.load(issued["key"]))


def test_revocation_list_withdraws_erased_and_superseded_certificates(issued, db, tmp_path, locations, capsys):
    key_file = issued["key"]
    old_alice = tmp_path / "alice-first.pdf"
    old_alice.write_bytes(issued["pdfs"]["Alice Ready"].read_bytes())
    # Without a list: valid, and the output says where a list can be had.
    assert cli(locations, "verify", str(old_alice), "--key", str(key_file)) == 0
    out = capsys.readouterr().out
    assert "Not checked against a revocation list" in out and "peer-trainer revocations" in out
    # Alice's name is corrected and her certificate re-issued; Bob's records are erased.
    profile_store.rename_profile(db, issued["alice"], "Alice M. Ready", actor_id=issued["coordinator"])
    assert cli(locations, "certificates", "--out", str(tmp_path / "again"), "--trainee", "Alice M. Ready") == 0
    new_alice = next((tmp_path / "again").glob("*.pdf"))
    erasure.erase_trainee(db, issued["bob"], issued["coordinator"], "Bob Ready")
    capsys.readouterr()
    assert cli(locations, "revocations", str(tmp_path / "revoked.json")) == 0
    assert "1 withdrawn, 1 re-issued" in capsys.readouterr().out
    revoked = tmp_path / "revoked.json"

    assert cli(locations, "verify", str(old_alice), "--key", str(key_file), "--revocations", str(revoked)) == 1
    assert "re-issued; this is an earlier version" in capsys.readouterr().out
    assert (
        cli(
            locations, "verify", str(issued["pdfs"]["Bob Ready"]), "--key", str(key_file), "--revocations", str(revoked)
        )
        == 1
    )
    assert "was withdrawn by the school" in capsys.readouterr().out
    assert cli(locations, "verify", str(new_alice), "--key", str(key_file), "--revocations", str(revoked)) == 0
    out = capsys.readouterr().out
    assert out.startswith("VALID") and "[ok] revocation list: not withdrawn" in out
    assert "Not checked against a revocation list" not in out

    # A list altered by hand, or signed by another school, is refused (exit 2), never trusted.
    text = revoked.read_text().replace('"withdrawn": [\n', '"withdrawn": [\n  "PHT-0000-000000",\n', 1)
    (tmp_path / "altered.json").write_text(text)
    assert (
        cli(
            locations, "verify", str(new_alice), "--key", str(key_file), "--revocations", str(tmp_path / "altered.json")
        )
        == 2
    )
    assert "not signed with the school key" in capsys.readouterr().err
    other = SigningKey.load_or_create(tmp_path / "other-keys")
    listing = certs.RevocationList("Other", other.public().fingerprint, "2026-01-01", frozenset(), {})
    (tmp_path / "other.json").write_text(listing.to_text(other))
    assert (
        cli(locations, "verify", str(new_alice), "--key", str(key_file), "--revocations", str(tmp_path / "other.json"))
        == 2
    )


HEAD = b"%PDF-1.4\n"
HOSTILE_PDFS = {
    "unfinished arrays": HEAD + b"1 0 obj\n" + b"[" * 100_000,
    "unclosed strings in every object": HEAD + b"".join(b"%d 0 obj (\n" % i for i in range(15_000)) + b" " * 2_000_000,
    "unclosed arrays in every object": HEAD + b"".join(b"%d 0 obj [\n" % i for i in range(15_000)) + b"1 " * 900_000,
    "too many objects": HEAD + b"".join(b"%d 0 obj\n<< >>\nendobj\n" % i for i in range(30_000)),
    "a reference loop": HEAD
    + b"1 0 obj\n2 0 R\nendobj\n2 0 obj\n1 0 R\nendobj\n3 0 obj\n<< /Type /Page /Contents 1 0 R >>\n",
}


def _bomb() -> bytes:
    import zlib

    bomb = zlib.compress(b"0" * (64 * 1024 * 1024), 9)
    return (
        HEAD
        + b"1 0 obj\n<< /Type /Page /Contents 2 0 R >>\nendobj\n2 0 obj\n<< /Length "
        + str(len(bomb)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + bomb
        + b"\nendstream\nendobj\n"
    )


@pytest.mark.parametrize("case", [*HOSTILE_PDFS, "a deflate bomb"])
def test_the_pdf_text_reader_refuses_hostile_files_quickly(case):
    from app.modules.pdf_text import PdfTextError, page_text

    data = _bomb() if case == "a deflate bomb" else HOSTILE_PDFS[case]
    started = time.process_time()  # CPU time: a busy machine cannot stretch it
    with pytest.raises(PdfTextError):
        page_text(data)
    assert time.process_time() - started < 5
