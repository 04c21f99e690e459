"""The certificate's QR code, as a phone reads it: rendered with pdftoppm, decoded with zxing-cpp.

The QR code holds a short signed reference (`PHT2.`): the number, the name, the date and the
school key, signed. It must decode from a 150 dpi rendering, and from a 100 dpi rendering with
1 % of its pixels flipped at random (a worn print, a poor camera).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.modules import certificates as certs
from app.modules.keys import SigningKey

zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp is in the test extra: pip install -e .[test]")
Image = pytest.importorskip("PIL.Image", reason="pillow is in the test extra: pip install -e .[test]")
np = pytest.importorskip("numpy", reason="numpy is in the test extra: pip install -e .[test]")
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed: scripts/system-deps --test"
)

LOOK = certs.Look("Riverside High", "Peer Helper Training", "Ms Rivera", "Peer support coordinator")


def certificate(key, name: str = "Amara Okafor-Lindqvist") -> tuple[certs.CertificateData, dict]:
    """A certificate as full as a real one: every module of the programme, every skill observed."""
    modules = (
        "Introduction to peer helping",
        "Active listening",
        "Confidentiality and its limits",
        "Conflict resolution",
        "Inclusion and belonging",
        "Stigma and hope",
        "Self-care for helpers",
        "Crisis protocols",
        "Self-harm, loss and abuse",
    )
    skills = (
        "Open questions and reflecting feelings",
        "Explaining the limits of confidentiality",
        "Crisis response and referral",
        "Mediating a conflict between peers",
        "Looking after yourself as a helper",
    )
    data = certs.CertificateData(
        "PHT-2026-000042",
        name,
        "Riverside High School",
        "Peer Helper Training",
        "Certificate of completion",
        date(2026, 5, 4),
        tuple((m, date(2026, 3, 1 + i)) for i, m in enumerate(modules)),
        tuple((s, date(2026, 4, 1 + i), "Mr Okafor") for i, s in enumerate(skills)),
        "Ms Rivera",
        "Peer support coordinator",
        key.public().fingerprint,
    )
    return data, data.to_payload()


def render(pdf: Path, dpi: int, out: Path) -> Image.Image:
    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(pdf), str(stem)], check=True)
    return Image.open(stem.with_suffix(".png")).convert("L")


def with_noise(image: Image.Image, share: float, seed: int) -> Image.Image:
    """`share` of the pixels flipped black to white or white to black, at places a seeded generator picks."""
    pixels = np.array(image)
    flip = np.random.default_rng(seed).random(pixels.shape) < share
    pixels[flip] = 255 - pixels[flip]
    return Image.fromarray(pixels)


def decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.fixture
def printed(tmp_path, qapp):
    from app.modules.certificate_pdf import write_pdf

    key = SigningKey.load_or_create(tmp_path / "keys")
    data, payload = certificate(key)
    code = certs.make_code(payload, certs.sign_payload(payload, key))
    qr = certs.qr_code(payload, key)
    pdf = write_pdf(data, code, tmp_path / "c.pdf", LOOK, qr)
    return key, data, code, qr, pdf


def test_the_short_code_is_small_and_verifies(tmp_path):
    import segno

    key = SigningKey.load_or_create(tmp_path / "keys")
    data, payload = certificate(key)
    qr = certs.qr_code(payload, key)
    old = certs.make_code(payload, certs.sign_payload(payload, key), compact=True)
    assert qr.startswith("PHT2.") and len(qr) < 260 < len(old)
    assert segno.make_qr(qr, error="m").version <= 10 < segno.make_qr(old, error="m").version
    result = certs.verify_code(qr, key.public("Riverside High School"))
    assert result.valid and result.reference, result.lines()
    assert "Amara Okafor-Lindqvist" in result.summary() and "PHT-2026-000042" in result.summary()
    assert certs.reference_matches(result, data)
    assert certs.verify_code(qr.lower(), key.public()).valid  # typed in small letters
    assert certs.verify_input(qr, key.public()).valid  # as `peer-trainer verify CODE` reads it
    assert certs.verify_code(old, key.public()).valid  # certificates printed before still verify


def test_a_changed_short_code_is_refused_with_the_check_that_failed(tmp_path):
    key = SigningKey.load_or_create(tmp_path / "keys")
    other = SigningKey.load_or_create(tmp_path / "other")
    data, payload = certificate(key)
    qr = certs.qr_code(payload, key)
    forged = certs.qr_code({**payload, "name": "Someone Else"}, other)
    # the same name and number signed by another key that claims this school's fingerprint
    assert certs.verify_code(forged, key.public()).failed.name == certs.SIGNATURE
    assert certs.verify_code(qr, other.public()).failed.name == certs.KEY
    assert certs.verify_code(qr[:-12], key.public()).failed.name == certs.DECODING
    assert certs.verify_code("PHT2." + "A" * 700, key.public()).failed.name == certs.FORMAT
    # one letter changed anywhere in the signed part
    i = 40
    changed = qr[:i] + ("B" if qr[i] != "B" else "C") + qr[i + 1 :]
    assert certs.verify_code(changed, key.public()).failed.name in (certs.DECODING, certs.KEY, certs.SIGNATURE)
    other_data, other_payload = certificate(key, "Amara Okafor")
    assert not certs.reference_matches(certs.verify_code(qr, key.public()), other_data)


@needs_poppler
@pytest.mark.parametrize("dpi, noise", [(150, 0.0), (100, 0.01)])
def test_a_phone_reads_the_printed_qr_code(printed, tmp_path, dpi, noise):
    key, data, code, qr, pdf = printed
    image = render(pdf, dpi, tmp_path / f"page-{dpi}.png")
    if noise:
        image = with_noise(image, noise, seed=19)
    found = decode(image)
    assert found == [qr], f"at {dpi} dpi with {noise:.0%} noise the decoder read {found}"
    result = certs.verify_code(found[0], key.public("Riverside High School"))
    assert result.valid, result.lines()
    assert certs.reference_matches(result, data)
    assert certs.verify_input(str(pdf), key.public()).valid  # the PDF's own full code, unchanged


@needs_poppler
def test_the_noisy_100_dpi_page_reads_on_several_seeds(printed, tmp_path):
    key, data, code, qr, pdf = printed
    image = render(pdf, 100, tmp_path / "page.png")
    read = sum(decode(with_noise(image, 0.01, seed)) == [qr] for seed in range(10))
    assert read >= 9, f"only {read} of 10 noisy renderings decoded"
