"""The Certify page: candidates for a program, the evidence for one, the decision, its history.

Candidates are the reps whose requirements are all met, those close to it (with what is missing) and
those already certified. Signing off asks the certifier's PIN (ui/widgets/pin_dialog.py); the decision
is recorded by store.certification.CertificationRepo, which checks role, PIN and evidence again.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
                               QPushButton, QSplitter, QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from scoring.certification import candidates, suggested_reasons
from store.certification import CertificationError, CertificationRepo
from store.certification_evidence import gather
from store.changes import Changes
from store.pin_auth import team_key_set
from store.pins import PinError
from ui.certificate_pdf import write_certificate
from ui.widgets.certify_decision import DecisionPanel
from ui.widgets.certify_evidence import EvidencePanel
from ui.widgets.certify_history import HistoryPanel
from ui.widgets.pin_dialog import PinDialog, SetPinDialog

GROUPS = (("ready", "Ready to certify"), ("close", "Close — something missing"), ("certified", "Certified"))


class CertifyPage(QWidget):
    TITLE = "Certify"

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context
        self.repo = CertificationRepo(context.store)
        self.pin_dialog: PinDialog | None = None
        self.rep_id: str | None = None
        self.readiness: dict = {}
        self.criteria: list = []
        self._build()
        self.reload()
        context.on_change({"recordings", "scores", "notes", "transcripts", "signoffs", "kit"},
                          lambda _c: self.reload(), self)
        context.on_change({"media"}, lambda _c: self.evidence.player.media_arrived(), self)
        context.people_changed.connect(self.reload)
        context.person_changed.connect(lambda _p: self._load_certifiers())

    # -- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel(self.TITLE)
        title.setObjectName("pageTitle")
        self.program = QComboBox()
        self.program.setObjectName("programCombo")
        self.program.setAccessibleName("Program")
        self.program.currentIndexChanged.connect(lambda _i: self.reload())
        self.program_info = QLabel()
        self.program_info.setObjectName("programInfo")
        self.program_info.setWordWrap(True)
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.reload)
        all_pdfs = QPushButton("All certificates…")
        all_pdfs.setObjectName("allCertificatesButton")
        all_pdfs.setToolTip("Save a PDF certificate for every rep currently certified on this program")
        all_pdfs.clicked.connect(lambda: self.save_all_certificates())
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(16)
        head.addWidget(QLabel("Program"))
        head.addWidget(self.program, 1)
        head.addWidget(all_pdfs)
        head.addWidget(refresh)

        self.tree = QTreeWidget()
        self.tree.setObjectName("candidates")
        self.tree.setHeaderLabels(["Rep", "Team", "Score", "What is missing"])
        header = self.tree.header()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.tree.currentItemChanged.connect(self._on_candidate)
        self.candidate_title = QLabel()
        self.candidate_title.setObjectName("candidateTitle")
        self.candidate_title.setStyleSheet("font-size: 15px; font-weight: 600")
        self.evidence = EvidencePanel(self.context.store, self.context.services.media)
        self.decision = DecisionPanel()
        self.decision.sign_off_requested.connect(self.sign_off)
        self.decision.set_pin_requested.connect(self.set_pin)
        self.history = HistoryPanel()
        self.history.pdf_requested.connect(self.save_certificate)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.evidence, "Evidence")
        self.tabs.addTab(self.decision, "Decision")
        self.tabs.addTab(self.history, "History")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.candidate_title)
        rl.addWidget(self.tabs, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        split.addWidget(right)
        split.setSizes([470, 730])
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(self.program_info)
        lay.addWidget(split, 1)

    # -- loading ---------------------------------------------------------------------------------
    def program_key(self) -> str | None:
        return self.program.currentData()

    def reload(self) -> None:
        current = self.program_key()
        programs = self.repo.programs()
        self.program.blockSignals(True)
        self.program.clear()
        for p in programs:
            self.program.addItem(p["title"], p["id"])
        if current:
            self.program.setCurrentIndex(max(0, self.program.findData(current)))
        self.program.blockSignals(False)
        self._load_certifiers()
        key = self.program_key()
        if key is None:
            self.program_info.setText("The kit has no certification program. Import a kit that has one.")
            self.tree.clear()
            return
        rule = self.repo.rule(key)
        self.criteria = self.repo.criteria(rule)
        self.program_info.setText(
            f"Pass: weighted total ≥ {rule.pass_threshold:.1f} on the 1–5 scale, at least {rule.min_scorecards} "
            f"peer scorecard(s) per take, required criteria: " +
            (", ".join(f"{c.title} ≥ {rule.required_criteria[c.id]}" for c in self.criteria
                       if c.id in rule.required_criteria) or "none") + f". Valid {rule.valid_days} days.")
        self.readiness = self.repo.all_readiness(key)
        self._fill_tree()

    def _fill_tree(self) -> None:
        keep = self.rep_id
        names = {p.id: p for p in self.context.people.list()}
        ready, close = candidates(self.readiness)
        certified = [r for r, x in self.readiness.items() if x.status == "certified"]
        self.tree.blockSignals(True)
        self.tree.clear()
        select = None
        for (key, label), reps in zip(GROUPS, (ready, close, certified)):
            group = QTreeWidgetItem([f"{label} ({len(reps)})"])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for rep in sorted(reps, key=lambda r: names[r].name.lower() if r in names else r) if key == "certified" else reps:
                person = names.get(rep)
                result = self.readiness[rep]
                certified = key == "certified" and result.certified_until
                missing = "until " + result.certified_until if certified else result.missing_short() or "all met"
                item = QTreeWidgetItem([person.name if person else rep, (person.team or "") if person else "",
                                        "—" if result.total is None else f"{result.total:.2f}", missing])
                item.setToolTip(3, missing if certified else result.missing_text() or "Every requirement is met.")
                item.setData(0, Qt.ItemDataRole.UserRole, rep)
                group.addChild(item)
                if rep == keep:
                    select = item
            group.setExpanded(True)
        self.tree.blockSignals(False)
        if select is None:   # the first ready candidate, else the closest one
            select = next((self.tree.topLevelItem(g).child(0) for g in range(2)
                           if self.tree.topLevelItem(g).childCount()), None)
        if select is not None:
            self.tree.setCurrentItem(select)
        self._on_candidate(select, None)

    def _load_certifiers(self) -> None:
        people = [p for p in self.context.people.list() if p.role == "certifier"]
        me = self.context.person
        current = me.id if me and me.role == "certifier" else self.decision.certifier_id()
        self.decision.set_certifiers(people, current, {p.id: self.repo.pins.has_pin(p.id) for p in people})

    def _on_candidate(self, item, _previous=None) -> None:
        rep = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        self.rep_id = rep
        key = self.program_key()
        if rep is None or key is None:
            self.candidate_title.setText("Choose a candidate")
            self.evidence.show_evidence(None)
            self.decision.set_candidate([], {}, False, has_candidate=False)
            self.history.show_history([], {})
            return
        person = self.context.people.get(rep)
        ev = gather(self.repo, rep, key)
        result = ev.readiness
        status = {"ready": "ready to certify", "close": "close", "certified": "certified",
                  "in_progress": "in progress", "not_started": "not started"}[result.status]
        self.candidate_title.setText(f"{person.name if person else rep} — {status}")
        self.evidence.show_evidence(ev)
        rule = self.repo.rule(key)
        self.decision.set_candidate([(c.id, c.title) for c in self.criteria],
                                    suggested_reasons(rule, self.criteria, result), result.met,
                                    certified_until=result.certified_until)
        self.history.show_history(self.repo.history(rep, key), {c.id: c.title for c in self.criteria})

    # -- actions ---------------------------------------------------------------------------------
    def sign_off(self) -> None:
        certifier_id, rep, key = self.decision.certifier_id(), self.rep_id, self.program_key()
        if not (certifier_id and rep and key):
            return
        decision = self.decision.decision()
        certifier = self.context.people.get(certifier_id)
        person = self.context.people.get(rep)
        summary = (f"{certifier.name if certifier else '?'}: record “{'Certified' if decision == 'certified' else 'Needs rework'}” "
                   f"for {person.name if person else rep} on {self.program.currentText()}. "
                   "This decision cannot be changed later, only followed by a new one.")

        def attempt(pin: str) -> str | None:
            try:
                made = self.repo.decide(certifier_id=certifier_id, pin=pin, rep_id=rep, program_key=key,
                                        decision=decision, reasons=self.decision.reason_texts())
            except (PinError, CertificationError) as exc:
                return str(exc)
            advice = self.repo.pins.advice(certifier_id)      # a PIN from before PINs stayed local
            self.context.say(f"Recorded: {person.name if person else rep} — {made.decision.replace('_', ' ')}."
                             + (f" {advice}" if advice else ""))
            return None

        self.pin_dialog = PinDialog("Confirm with your PIN", summary, attempt, self)
        self.pin_dialog.accepted.connect(self._after_decision)
        self.pin_dialog.open()

    def _after_decision(self) -> None:
        self.context.notify(Changes.of("signoffs"), origin=self)
        self.reload()
        self.tabs.setCurrentWidget(self.history)

    def set_pin(self) -> None:
        certifier_id = self.decision.certifier_id()
        person = self.context.people.get(certifier_id) if certifier_id else None
        if person is None:
            return
        pins = self.repo.pins
        confirm = pins.who_confirms(person.id)

        def save(by: str | None, secret: str, new: str) -> str | None:
            try:            # the station's first PIN: the secret is the team sync key (store/pin_auth.py)
                pins.change_pin(person.id, new, by, secret if confirm else "",
                                team_key=secret if confirm is None else None)
            except PinError as exc:
                return str(exc)
            return None

        dialog = SetPinDialog(person.name, confirm, save, pins.certifiers_with_pin(person.id), self,
                              key_set=team_key_set(self.context.store.data_dir))
        dialog.accepted.connect(lambda: (self._load_certifiers(), self.context.say(f"PIN set for {person.name}.")))
        dialog.open()
        self.set_pin_dialog = dialog

    def shutdown(self) -> None:
        self.evidence.shutdown()

    def save_all_certificates(self, folder: str | None = None) -> list[Path]:
        """One PDF per rep whose decision in force on this program is a valid certificate."""
        key = self.program_key()
        if key is None:
            return []
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "Save the certificates in")
            if not folder:
                return []
        latest: dict = {}
        for d in self.repo.history(program_key=key):      # newest first
            latest.setdefault(d.rep_id, d)
        today = self.repo.today().isoformat()
        written = []
        try:
            for d in latest.values():
                if d.decision == "certified" and (d.valid_until or "") >= today:
                    name = f"certificate-{d.rep.replace(' ', '_')}-{d.program}.pdf"
                    written.append(write_certificate(Path(folder) / name, d, self.context.store.station_name))
        except OSError as exc:
            QMessageBox.warning(self, "Certificates", f"Could not write the certificates: {exc}")
        self.context.say(f"{len(written)} certificate(s) saved in {folder}.")
        return written

    def save_certificate(self, decision, path: str | None = None) -> Path | None:
        if decision is None or decision.decision != "certified":
            return None
        if path is None:
            default = f"certificate-{decision.rep.replace(' ', '_')}-{decision.program}.pdf"
            path, _ = QFileDialog.getSaveFileName(self, "Save certificate", default, "PDF (*.pdf)")
            if not path:
                return None
        try:
            written = write_certificate(path, decision, self.context.store.station_name)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Certificate", f"Could not write the certificate: {exc}")
            return None
        self.context.say(f"Certificate saved to {written}.")
        return written
