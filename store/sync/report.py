"""What a sync reports: progress while it runs, and what was sent and received when it ends."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Progress:
    phase: str              # 'send media' | 'send' | 'receive' | 'fetch media'
    items_done: int
    items_total: int
    bytes_done: int = 0
    bytes_total: int = 0


@dataclass
class SyncReport:
    sent_batches: int = 0
    sent_records: int = 0
    sent_media: int = 0
    sent_bytes: int = 0
    received_batches: int = 0
    received_records: int = 0
    received_media: int = 0
    received_bytes: int = 0
    deferred: int = 0
    sent_by_table: dict[str, int] = field(default_factory=dict)
    received_by_table: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)   # something was not applied / not sent
    warnings: list[str] = field(default_factory=list)   # ignored strays and the like

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        out = [f"Sent {self.sent_records} change(s){_tables(self.sent_by_table)} in {self.sent_batches} "
               f"batch(es) and {self.sent_media} media file(s) ({_mb(self.sent_bytes)}).",
               f"Received {self.received_records} change(s){_tables(self.received_by_table)} in "
               f"{self.received_batches} batch(es)"
               + (f" and {self.received_media} media file(s) ({_mb(self.received_bytes)})."
                  if self.received_media else ".")]
        if self.deferred:
            out.append(f"{self.deferred} change(s) wait for their media file and will go next time.")
        out += [f"Warning: {w}" for w in self.warnings]
        out += [f"Problem: {p}" for p in self.problems]
        return out


def _tables(counts: dict[str, int]) -> str:
    shown = [f"{n} {t}" for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n]
    return f" ({', '.join(shown)})" if shown else ""


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.0f} kB"
