"""Pure planning: what to send and what to receive, from facts already gathered (no I/O here).

The engine reads the outbox, the local media files and the hub's listing, hands them to these
functions, then carries out the plan. Tests drive them directly.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from store.sync.batch import BATCH_PREFIX, Batch, Record, parse_name

MAX_RECORDS = 5000
# a batch is closed once its rows reach about this much JSON, so no batch a station writes comes near
# what receivers unpack (batch.MAX_BATCH_BYTES, 64 MB; issue #12)
MAX_BATCH_ROW_BYTES = 16 << 20


def row_bytes(row: dict | None) -> int:
    """A cheap upper-ish estimate of a row's JSON size (bytes travel as base64)."""
    if not row:
        return 64
    return 64 + sum(len(k) + 8 + (len(v) * 4 // 3 + 16 if isinstance(v, (bytes, bytearray)) else len(str(v)) * 2)
                    for k, v in row.items())


@dataclass(frozen=True)
class Pending:
    """An outbox entry with what the station holds for it now."""
    table: str
    id: str
    clock: int                      # the clock the outbox entry was made at
    op: str                         # 'upsert' | 'delete'
    version: tuple[int, str] | None  # what sync_versions says the row is at now
    row: dict | None                # the row now (None if gone)
    media_sha256: str | None = None
    media_size: int | None = None


@dataclass(frozen=True)
class MediaUpload:
    sha256: str
    path: str
    size: int


@dataclass
class PushPlan:
    uploads: list[MediaUpload] = field(default_factory=list)
    batches: list[Batch] = field(default_factory=list)
    drop: list[Pending] = field(default_factory=list)        # superseded entries: forget them
    deferred: list[tuple[Pending, str]] = field(default_factory=list)   # kept for a later sync

    @property
    def records(self) -> int:
        return sum(len(b.records) for b in self.batches)

    @property
    def upload_bytes(self) -> int:
        return sum(u.size for u in self.uploads)


def plan_push(pending: list[Pending], local_station: str, next_seq: int, *,
              local_media: dict[str, tuple[str, int]], hub_media: dict[str, int | None],
              table_order: list[str] | None = None, max_records: int = MAX_RECORDS,
              created_at: str = "", max_bytes: int = MAX_BATCH_ROW_BYTES) -> PushPlan:
    """``local_media``: sha -> (path, size) of files present here with the expected size;
    ``hub_media``: sha -> size on the hub (None: absent). Records whose media is on neither side are
    deferred (a batch never references media the hub does not hold)."""
    plan = PushPlan()
    order = {t: i for i, t in enumerate(table_order or [])}
    ready: list[tuple[Pending, Record]] = []
    uploads: dict[str, MediaUpload] = {}
    for p in pending:
        if p.version != (p.clock, local_station) or (p.op == "upsert" and p.row is None):
            plan.drop.append(p)        # a newer version (ours or a remote one) replaced it
            continue
        if p.op == "upsert" and p.media_sha256:
            sha = p.media_sha256
            on_hub = hub_media.get(sha)
            if on_hub is None or (p.media_size is not None and on_hub != p.media_size):
                if sha in local_media:
                    path, size = local_media[sha]
                    uploads.setdefault(sha, MediaUpload(sha, path, size))
                else:
                    plan.deferred.append((p, "its media file is missing on this station and on the hub"))
                    continue
        ready.append((p, Record(p.table, p.id, p.clock, local_station, p.op,
                                p.row if p.op == "upsert" else None)))
    ready.sort(key=lambda pr: (order.get(pr[0].table, len(order)), pr[0].clock, pr[0].table, pr[0].id))
    plan.uploads = sorted(uploads.values(), key=lambda u: u.sha256)
    chunk: list[tuple[Pending, Record]] = []
    size = 0
    for pr in ready:
        n = row_bytes(pr[1].row)
        if n > 3 * max_bytes:
            plan.deferred.append((pr[0], "it is too large to send in a batch"))
            continue
        if chunk and (len(chunk) >= max_records or size + n > max_bytes):
            _close(plan, chunk, local_station, next_seq, created_at)
            chunk, size = [], 0
        chunk.append(pr)
        size += n
    if chunk:
        _close(plan, chunk, local_station, next_seq, created_at)
    return plan


def _close(plan: PushPlan, chunk, local_station: str, next_seq: int, created_at: str) -> None:
    media = sorted({p.media_sha256 for p, r in chunk if p.media_sha256 and r.op == "upsert"})
    plan.batches.append(Batch(local_station, next_seq + len(plan.batches), [r for _, r in chunk],
                              media, created_at))


@dataclass(frozen=True)
class BatchRef:
    name: str
    station: str
    seq: int


@dataclass
class PullPlan:
    to_apply: list[BatchRef] = field(default_factory=list)
    strays: list[str] = field(default_factory=list)


def plan_pull(listing: list[str], applied: set[str], *, skip_station: str | None = None,
              limit: int | None = None) -> PullPlan:
    """Batches on the hub not applied here, in (sequence, station) order; anything else under
    ``batches/`` (a sync tool's conflict copies, .DS_Store, partial uploads) is a stray."""
    plan = PullPlan()
    refs = []
    for name in listing:
        if not name.startswith(BATCH_PREFIX):
            continue
        parsed = parse_name(name)
        if parsed is None:
            plan.strays.append(name)
            continue
        if name in applied or parsed[0] == skip_station:
            continue
        refs.append(BatchRef(name, parsed[0], parsed[1]))
    refs.sort(key=lambda r: (r.seq, r.station))
    plan.to_apply = refs[:limit] if limit is not None else refs
    return plan
