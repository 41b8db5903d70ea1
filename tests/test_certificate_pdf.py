"""The PDF certificate: produced by Qt, text extractable, names program, date, certifier, validity."""
import unicodedata

import pypdf
import pytest

from store.certification import Decision
from ui.certificate_pdf import write_certificate


def _decision(kind="certified"):
    return Decision("so-1", "r1", "Ana Lopez", "North", "p1", "new-messaging-certification",
                    "New-messaging certification", "c1", "Eve Martin", kind, "2026-11-23T10:00:00.000Z",
                    "2027-05-22" if kind == "certified" else None, "st", 1, 1, ("a", "b"),
                    {"total": 4.25, "scorecards": 4}, {})


def test_certificate_text(qapp, tmp_path):
    path = write_certificate(tmp_path / "c.pdf", _decision(), "Hall A")
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) == 1
    text = " ".join(unicodedata.normalize("NFKC", reader.pages[0].extract_text()).split())
    for expected in ("Ana Lopez", "is certified on", "New-messaging certification", "23 November 2026",
                     "Certified by Eve Martin", "Valid until 22 May 2027", "4 peer scorecard(s)", "so-1"):
        assert expected in text
    assert reader.metadata.title == "Certificate: Ana Lopez — New-messaging certification"


def test_no_certificate_for_needs_rework(qapp, tmp_path):
    with pytest.raises(ValueError):
        write_certificate(tmp_path / "c.pdf", _decision("needs_rework"))
    assert not (tmp_path / "c.pdf").exists()
