"""Reclaiming, dead-lettering and trimming, run by every worker.

A chunk pending longer than `queue_claim_idle_s` without its worker's heartbeat touching it
belongs to a worker that stopped (killed, crashed, partitioned): another worker claims it
(XCLAIM with the same idle bound, so exactly one claimer wins) and scores it again. A chunk
delivered `queue_max_deliveries` times is poison: it goes to the dead-letter stream and its
request gets `error` results (reward null), so the request still gets its answer. Acknowledged
entries are trimmed; entries not yet delivered are never deleted (autoscaling reads their lag).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from verifier_service.queue.broker import Entry, QueueUnavailableError
from verifier_service.queue.codec import ChunkFormatError, failure_payload, read_chunk

if TYPE_CHECKING:
    from verifier_service.queue.worker import Worker

log = logging.getLogger(__name__)

DEAD_LETTER_MAXLEN = 100_000
MIN_INTERVAL_S = 0.2


class Sweeper:
    def __init__(self, worker: Worker) -> None:
        self._worker = worker
        self._settings = worker.settings
        self._broker = worker.broker

    def run(self) -> None:
        interval = max(MIN_INTERVAL_S, self._settings.queue_claim_idle_s / 3)
        while not self._worker.stopping.wait(interval):
            try:
                self.sweep()
            except QueueUnavailableError as error:
                log.warning("sweep skipped: %s", error)

    def sweep(self) -> None:
        min_idle_ms = int(self._settings.queue_claim_idle_s * 1000)
        mine = set(self._worker.working())
        for pending in self._broker.idle_pending(min_idle_ms):
            if pending.entry_id in mine:
                continue
            if pending.deliveries >= self._settings.queue_max_deliveries:
                entry = self._broker.entry(pending.entry_id)
                if entry is None:  # trimmed away meanwhile: nothing to answer
                    self._broker.acknowledge(pending.entry_id)
                    continue
                reason = (
                    f"delivered {pending.deliveries} times without an answer (last to "
                    f"{pending.consumer}): moved to the dead-letter stream"
                )
                self.bury(entry, reason)
                continue
            claimed = self._broker.claim(self._worker.name, min_idle_ms, [pending.entry_id])
            if claimed:
                log.warning(
                    "reclaimed a chunk idle for %d ms from %s", pending.idle_ms, pending.consumer
                )
                self._worker.process(claimed, outcome="reclaimed")
        self._broker.trim()

    def bury(self, entry: Entry, reason: str) -> None:
        """Dead-letter an entry and answer its request with `error` results."""
        log.error("dead letter %s: %s", entry.entry_id.decode(), reason)
        self._broker.dead_letter(entry, reason, DEAD_LETTER_MAXLEN)
        self._worker.metrics.dead_letters.inc()
        self._worker.metrics.chunks.labels("dead_letter").inc()
        try:
            chunk = read_chunk(entry.fields)
        except ChunkFormatError:
            self._broker.acknowledge(entry.entry_id)  # no request to answer
            return
        self._worker.answer([(entry.entry_id, chunk, failure_payload(reason))])
