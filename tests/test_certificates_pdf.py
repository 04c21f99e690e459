"""The certificate PDF: one page, the paper chosen, extractable text in any script, the code inside."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from app.modules import certificates as certs
from app.modules.certificate_pdf import SANS, SERIF, render_image, write_pdf
from app.modules.keys import SigningKey

# Each name, and the language fontconfig knows its script by.
NAMES = {"Amara Okafor": "en", "Иван Петрович Сидоров": "ru", "محمد عبد الله": "ar", "王小明": "zh"}
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed: scripts/system-deps --test"
)


def families_for(lang: str) -> set[str]:
    """The font families installed here that cover `lang` (fontconfig's `fc-list :lang=...`)."""
    out = subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True, text=True, check=True).stdout
    return {family.strip() for line in out.splitlines() for family in line.split(",")}


def require_font_for(name: str) -> None:
    """Skip, saying which font is missing, unless a font the certificate asks for covers the name's script.

    Without one, Qt draws empty boxes and the text cannot be extracted: that is the machine, not the
    program. On CI (the CI variable set) a missing font fails instead, so the check is never lost.
    """
    if shutil.which("fc-list") is None:
        reason = "fc-list (fontconfig) is not installed, so the fonts cannot be checked: scripts/system-deps --test"
    else:
        wanted = [f for f in dict.fromkeys(SERIF + SANS) if f not in ("serif", "sans-serif")]
        if families_for(NAMES[name]) & set(wanted):
            return
        reason = (
            f"no font for {name!r} (fc-list :lang={NAMES[name]}) among {', '.join(wanted)}: "
            "install fonts-noto-core and fonts-noto-cjk (scripts/system-deps --test)"
        )
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def certificate(name: str, key, number: str = "PHT-2026-000042") -> tuple[certs.CertificateData, str]:
    data = certs.CertificateData(
        number,
        name,
        "Riverside High",
        "Peer Helper Training",
        "Certificate of completion",
        date(2026, 5, 4),
        (("Active listening", date(2026, 3, 1)), ("Crisis protocols", date(2026, 4, 2))),
        (("Crisis response and referral", date(2026, 4, 1), "Mr Okafor"),),
        "Ms Rivera",
        "Peer support coordinator",
        key.public().fingerprint,
    )
    payload = data.to_payload()
    return data, certs.make_code(payload, certs.sign_payload(payload, key))


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # Arabic comes out as presentation forms and some CJK glyphs as radicals: NFKC folds both back.
    return unicodedata.normalize("NFKC", out)


@needs_poppler
@pytest.mark.parametrize("name", NAMES)
def test_the_name_number_and_wording_are_in_the_pdf_text(tmp_path, qapp, name):
    require_font_for(name)
    key = SigningKey.load_or_create(tmp_path / "keys")
    data, code = certificate(name, key)
    path = write_pdf(data, code, tmp_path / "c.pdf", certs.Look("Riverside High", "Peer Helper Training"))
    text = pdf_text(path)
    squeezed = "".join(text.split())
    if name == "محمد عبد الله":  # right-to-left: extraction order varies, so look for each word
        assert all(word in text for word in name.split())
    else:
        assert name.replace(" ", "") in squeezed
    for expected in (
        "PHT-2026-000042",
        "Certificate of completion",
        "Crisis response and referral",
        "Mr Okafor",
        "Ms Rivera",
        "4 May 2026",
        "not a qualification",
    ):
        assert expected.replace(" ", "") in squeezed, expected
    assert "qualified" not in text.lower().replace("not a qualification", "")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info and "842 x 595" in info  # A4 landscape, in points
    assert certs.code_in_pdf(path.read_bytes()) == code
    assert certs.verify_input(str(path), key.public()).valid


@needs_poppler
def test_letter_paper_and_a_logo(tmp_path, qapp):
    from PySide6.QtGui import QColor, QImage

    logo = tmp_path / "logo.png"
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#1e6b34"))
    image.save(str(logo))
    key = SigningKey.load_or_create(tmp_path / "keys")
    data, code = certificate("Amara Okafor", key)
    path = write_pdf(
        data, code, tmp_path / "c.pdf", certs.Look("Riverside High", "Peer Helper Training", paper="Letter", logo=logo)
    )
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "792 x 612" in info
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    png = QImage(str(tmp_path / "page.png"))
    assert png.width() > png.height()
    # The logo's green is drawn near the top centre.
    top = [png.pixelColor(x, y) for x in range(png.width() // 2 - 10, png.width() // 2 + 10) for y in range(10, 60)]
    assert any(c.green() > 90 and c.red() < 60 for c in top)


def test_the_preview_picture_has_ink_where_the_name_is(qapp, tmp_path):
    key = SigningKey.load_or_create(tmp_path / "keys")
    data, code = certificate("Amara Okafor", key)
    image = render_image(data, code, certs.Look("Riverside High", "Peer Helper Training"), 800)
    assert image.width() == 800 and 560 < image.height() < 570
    band = [image.pixelColor(x, int(image.height() * 0.4)) for x in range(300, 500)]
    assert any(c.lightness() < 150 for c in band)
