"""A PDF certificate for a 'certified' decision, drawn with Qt (QPdfWriter + QTextDocument).

Names the rep, the program, the date of the decision, the certifier, the validity and the evidence it
rests on, with the sign-off id so the certificate can be traced to its immutable record.
"""
from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen, QTextDocument


def _day(text: str | None) -> str:
    if not text:
        return "—"
    return date.fromisoformat(text[:10]).strftime("%d %B %Y").lstrip("0")


def certificate_html(decision, station: str = "") -> str:
    e = html.escape
    team = f" · {e(decision.team)}" if decision.team else ""
    total = (decision.scores or {}).get("total")
    cards = (decision.scores or {}).get("scorecards")
    basis = []
    if cards:
        basis.append(f"{cards} peer scorecard(s)")
    if total is not None:
        basis.append(f"weighted score {total:.1f} / 5")
    basis.append(f"{len(decision.evidence)} recorded take(s)")
    return f"""
    <div style="font-family: 'DejaVu Sans', sans-serif; color: #1d2733;">
      <p align="center" style="font-size: 13pt; letter-spacing: 3px; color: #5a6b7d;">ROLECALL CERTIFICATE</p>
      <p align="center" style="font-size: 30pt; font-weight: 600; margin-top: 6px;">{e(decision.rep)}</p>
      <p align="center" style="font-size: 10pt; color: #5a6b7d;">{team.lstrip(' ·')}</p>
      <p align="center" style="font-size: 14pt; margin-top: 18px;">is certified on</p>
      <p align="center" style="font-size: 22pt; font-weight: 600; color: #1f5fa8;">{e(decision.program_title)}</p>
      <table align="center" cellspacing="0" cellpadding="6" style="margin-top: 24px; font-size: 12pt;">
        <tr><td style="color:#5a6b7d;">Date of certification</td><td><b>{_day(decision.decided_at)}</b></td></tr>
        <tr><td style="color:#5a6b7d;">Certified by</td><td><b>{e(decision.certifier)}</b></td></tr>
        <tr><td style="color:#5a6b7d;">Valid until</td><td><b>{_day(decision.valid_until)}</b></td></tr>
        <tr><td style="color:#5a6b7d;">Evidence</td><td>{e(', '.join(basis))}</td></tr>
      </table>
      <p align="center" style="font-size: 8pt; color: #8795a3; margin-top: 30px;">
        Sign-off {e(decision.id)} · program {e(decision.program)} v{decision.program_version or 1},
        rubric v{decision.rubric_version or 1}{(' · ' + e(station)) if station else ''}</p>
    </div>"""


def write_certificate(path: str | Path, decision, station: str = "") -> Path:
    """Write the certificate PDF for a 'certified' decision; returns the path."""
    if decision.decision != "certified":
        raise ValueError("Only a 'certified' decision has a certificate.")
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setTitle(f"Certificate: {decision.rep} — {decision.program_title}")
    writer.setCreator("Rolecall")
    writer.setResolution(150)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"Cannot write {path}")
    try:
        page = QRectF(0, 0, writer.width(), writer.height())
        pen = QPen(QColor("#1f5fa8"))
        pen.setWidthF(6)
        painter.setPen(pen)
        painter.drawRect(page.adjusted(10, 10, -10, -10))
        pen.setWidthF(1.5)
        painter.setPen(pen)
        painter.drawRect(page.adjusted(28, 28, -28, -28))
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(writer)
        doc.setHtml(certificate_html(decision, station))
        inner = page.adjusted(80, 0, -80, 0)
        doc.setTextWidth(inner.width())
        top = max(60.0, (page.height() - doc.size().height()) / 2)
        painter.translate(inner.left(), top)
        doc.drawContents(painter, QRectF(0, 0, inner.width(), page.height() - top))
    finally:
        painter.end()
    return path


__all__ = ["write_certificate", "certificate_html"]
