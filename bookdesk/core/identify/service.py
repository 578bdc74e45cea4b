"""Identify books: ask every provider, score each candidate with named reasons, apply only a clear
winner, queue the rest for review. Every change is a FieldChange with its provider and the job's
correlation id, so one job is undone as a whole.

A provider that is down or not configured is noted and skipped; one book's failure is that
book's error and the others go on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bookdesk.core.candidate_scoring.decide import APPLY, NO_MATCH, REVIEW, decide, group_same_book
from bookdesk.core.candidate_scoring.merge import merge
from bookdesk.core.candidate_scoring.score import KnownBook, score_candidate
from bookdesk.core.identify.proposal import candidate_json, proposals
from bookdesk.core.jobs import JobContext
from bookdesk.core.net.errors import NetworkError
from bookdesk.core.providers.base import Candidate, MetadataProvider, Query
from bookdesk.data.catalog import Catalog
from bookdesk.data.catalog_rows import UNKNOWN_AUTHOR, WorkDetail
from bookdesk.data.review_repository import ReviewRepository
from bookdesk.data.work_fields import is_locked
from bookdesk.data.work_repository import WorkRepository
from bookdesk.errors import BookDeskError, NotFoundError

log = logging.getLogger(__name__)

CONCURRENT_BOOKS = 8  # enough to keep every provider's rate limit busy; the limiter does the pacing
# Every provider asked failed to answer (down, too slow, 5xx): the book was not looked up at all,
# which is not "not found". ERROR: every provider asked failed, some for another reason (a refused token).
OFFLINE, ERROR = "offline", "error"
REVIEW_CANDIDATES = 3
CoverFetcher = Callable[[str], Awaitable[bytes]]


@dataclass
class IdentifyResult:
    work_id: int
    status: str  # applied, review, no_match, offline, error
    score: float | None = None
    candidate: dict | None = None
    changes: list[dict] = field(default_factory=list)  # {"field", "old", "new", "source"}
    reason: str = ""
    error: str | None = None
    provider_errors: dict[str, str] = field(default_factory=dict)  # provider label -> why it gave no answer


@dataclass
class IdentifyReport:
    correlation_id: str
    results: list[IdentifyResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # providers skipped, and why
    # Providers left out of the run (the keyring would not give their token): part of the summary, which
    # every face of identify shows (the status bar, Activity, a scheduled run, the command line).
    left_out: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def summary(self) -> str:
        text = f"{self.count('applied')} identified, {self.count('review')} to review, {self.count('no_match')} not found"
        if self.count(OFFLINE):
            text += f", {self.count(OFFLINE)} not looked up (offline: no provider could be reached)"
        if self.count(ERROR):
            text += f", {self.count(ERROR)} failed"
        silent = sorted({label for r in self.results if r.status not in (OFFLINE, ERROR) for label in r.provider_errors})
        if silent:
            text += f"; without an answer from {', '.join(silent)}"
        return "; ".join([text, *self.left_out])


class IdentifyService:
    def __init__(self, catalog: Catalog, providers: Sequence[MetadataProvider], *, order: Sequence[str] = (),
                 fetch_cover: CoverFetcher | None = None, left_out: Sequence[str] = ()) -> None:
        self.catalog = catalog
        self.providers = [p for p in providers if p.configured()]
        self.order = list(order) or [p.name for p in providers]
        self.fetch_cover = fetch_cover
        # Providers not asked again in this job, with the error that ended them: a refused token is not
        # sent for every book, and a host that ran out its deadline does not hold up every book in turn.
        self._given_up: dict[str, NetworkError] = {}
        self.left_out = list(left_out)  # providers not built, and why (see providers/registry.py)
        self.notes = [f"{p.label} is not set up (no token or key); skipped"
                                    for p in providers if not p.configured()]

    async def identify(self, ctx: JobContext, work_ids: Sequence[int], *, user_waiting: bool = False,
                       queries: dict[int, Query] | None = None) -> IdentifyReport:
        report = IdentifyReport(ctx.correlation_id, notes=list(self.notes), left_out=list(self.left_out))
        if not self.providers:
            if self.left_out:
                raise BookDeskError(f"No metadata provider could be asked: {'; '.join(self.left_out)}. Unlock "
                                    "your keyring and try again.")
            raise BookDeskError("No metadata provider is switched on; turn one on in Settings → Metadata Providers.")
        total, done = len(work_ids), 0
        gate = asyncio.Semaphore(CONCURRENT_BOOKS)
        results: dict[int, IdentifyResult] = {}
        provider_errors: dict[str, str] = {}

        async def one(work_id: int) -> None:
            nonlocal done
            async with gate:
                ctx.check_cancelled()
                results[work_id] = await self._identify_one(ctx, work_id, (queries or {}).get(work_id),
                                                            user_waiting, provider_errors)
            done += 1
            applied = sum(1 for r in results.values() if r.status == "applied")
            ctx.report(done / max(total, 1), f"{done:,} of {total:,} books · {applied:,} identified")

        await asyncio.gather(*(one(w) for w in work_ids))
        report.results = [results[w] for w in work_ids]
        report.notes += [f"{name}: {error}" for name, error in provider_errors.items()]
        ctx.summary = report.summary()
        return report

    async def _identify_one(self, ctx: JobContext, work_id: int, query: Query | None, user_waiting: bool,
                            provider_errors: dict[str, str]) -> IdentifyResult:
        try:
            work = self._work(work_id)
            # A search by hand ("Search again") is judged against what the person typed.
            known = KnownBook.from_work(work) if query is None else KnownBook.from_query(query)
            query = query or query_for(work)
            candidates, failures = await self._ask_all(query, user_waiting, provider_errors)
            # Offline when every provider this book is a question for failed; one with nothing to ask
            # (Audnexus for an ebook) does not make an outage read as "not found".
            if failures and len(failures) == sum(1 for p in self.providers if p.asks_about(query)):
                return _unanswered(work_id, failures)
            silent = {label: exc.message for label, exc in failures.items()}
            scored = [(c, score_candidate(known, c)) for c in candidates]
            scored.sort(key=lambda cs: -cs[1].total)
            decision = decide(scored)
            audiobook = is_audiobook(work)
            if decision.verdict == APPLY:
                merged = merge(list(decision.same_book), self.order, audiobook=audiobook)
                changes = await self._apply(ctx, work, merged)
                return IdentifyResult(work_id, "applied", decision.total, _summary(decision.best, merged), changes,
                                      decision.reason, provider_errors=silent)
            if decision.verdict == REVIEW:
                groups = group_same_book(scored)[:REVIEW_CANDIDATES]
                stored = []
                for group in groups:
                    members = tuple(c for c, _ in group)
                    stored.append(candidate_json(members, group[0][1],
                                                 merge(list(members), self.order, audiobook=audiobook), work))
                with self.catalog.write() as session:
                    ReviewRepository(session).add(work_id, ctx.correlation_id, decision.reason, stored)
                return IdentifyResult(work_id, "review", decision.total, _summary(decision.best, None), [],
                                      decision.reason, provider_errors=silent)
            assert decision.verdict == NO_MATCH
            # "Not found" by the providers that answered; the others are named, as they may know it.
            reason = decision.reason + (f"; not asked: {', '.join(silent)}" if silent else "")
            return IdentifyResult(work_id, "no_match", decision.total or None, None, [], reason,
                                  provider_errors=silent)
        except BookDeskError as exc:
            log.warning("identify: book %s: %s", work_id, exc.message)
            return IdentifyResult(work_id, ERROR, error=exc.message)
        except Exception as exc:  # a bug must cost one book, not the job
            log.exception("identify: book %s failed", work_id)
            return IdentifyResult(work_id, ERROR, error=f"unexpected error: {exc}")

    async def _ask_all(self, query: Query, user_waiting: bool,
                       errors: dict[str, str]) -> tuple[list[Candidate], dict[str, NetworkError]]:
        """Every provider's candidates, and the providers that gave no answer (by label) with why."""
        failures: dict[str, NetworkError] = {}

        async def ask(provider: MetadataProvider) -> list[Candidate]:
            if provider.name in self._given_up:
                failures[provider.label] = self._given_up[provider.name]
                return []
            try:
                return await provider.lookup(query, user_waiting=user_waiting)
            except NetworkError as exc:
                errors[provider.label] = exc.message  # the job goes on with the others
                failures[provider.label] = exc
                log.warning("identify: %s: %s", provider.label, exc.message)
                if exc.status in (401, 403) or exc.too_slow:
                    self._given_up[provider.name] = exc
                return []

        answers = await asyncio.gather(*(ask(p) for p in self.providers if p.asks_about(query)))
        return [c for answer in answers for c in answer], failures

    async def _apply(self, ctx: JobContext, work: WorkDetail, merged, fields: set[str] | None = None) -> list[dict]:  # noqa: ANN001
        """Write the merged values, field by field, each with its provider as the source."""
        changes = []
        user_kept = self._user_fields(work.id)
        with self.catalog.write() as session:
            repo = WorkRepository(session)
            for proposal in proposals(work, merged):
                if fields is not None and proposal.field not in fields:
                    continue
                if fields is None and proposal.field in user_kept:
                    continue  # the user set this by hand: an automatic match does not overrule them
                change = repo.set_field(work.id, proposal.field, proposal.proposed, source=proposal.source,
                                        correlation_id=ctx.correlation_id)
                if change is not None:
                    changes.append({"field": change.field, "old": change.old_value, "new": change.new_value,
                                    "source": change.source})
        if merged.cover_url and self.fetch_cover and (fields is None or "cover" in fields) \
                and (fields is not None or "cover_path" not in user_kept):
            change = await self._cover(ctx, work, merged.cover_url, merged.sources.get("cover_url", "provider"))
            if change:
                changes.append(change)
        return changes

    async def _cover(self, ctx: JobContext, work: WorkDetail, url: str, source: str) -> dict | None:
        from bookdesk.core.identify.covers import save_cover

        try:
            data = await self.fetch_cover(url)  # type: ignore[misc]
        except NetworkError as exc:
            log.warning("identify: cover of book %s: %s", work.id, exc.message)
            return None
        path = save_cover(self.catalog.folder, work, data)
        if path is None:
            return None
        with self.catalog.write() as session:
            change = WorkRepository(session).set_field(work.id, "cover_path", path, source=source,
                                                        correlation_id=ctx.correlation_id)
        return {"field": "cover_path", "old": change.old_value, "new": change.new_value, "source": source} \
            if change else None

    def _user_fields(self, work_id: int) -> set[str]:
        """The fields a person set by hand last and keeps locked: an automatic match leaves them alone. One
        they unlocked (the dialog's lock, ``bookdesk edit --unlock``) is open to identification again."""
        with self.catalog.read() as session:
            repo = WorkRepository(session)
            locked = repo.detail(work_id).locked_fields
            latest: dict[str, str] = {}
            for change in reversed(repo.history(work_id)):  # oldest first
                if not change.undone:
                    latest[change.field] = change.source
        return {f for f, source in latest.items() if source == "user" and is_locked(f, locked)}

    def _work(self, work_id: int) -> WorkDetail:
        with self.catalog.read() as session:
            return WorkRepository(session).detail(work_id)

    # ----- the review queue ------------------------------------------------------------------

    async def apply_review(self, ctx: JobContext, item_id: int, choice: int, fields: set[str]) -> IdentifyResult:
        """Apply the fields a person ticked of candidate ``choice`` of review item ``item_id``."""
        with self.catalog.read() as session:
            item = ReviewRepository(session).get(item_id)
        if item is None or item.state != "pending":
            raise NotFoundError("That review was decided already.")
        stored = item.candidates[choice]
        work = self._work(item.work_id)
        changes = []
        with self.catalog.write() as session:
            repo = WorkRepository(session)
            for proposal in stored["proposals"]:
                if proposal["field"] not in fields:
                    continue
                change = repo.set_field(work.id, proposal["field"], proposal["proposed"], source=proposal["source"],
                                        correlation_id=ctx.correlation_id)
                if change is not None:
                    changes.append({"field": change.field, "old": change.old_value, "new": change.new_value,
                                    "source": change.source})
            ReviewRepository(session).decide(item_id, "applied")
        if "cover" in fields and stored.get("cover_url") and self.fetch_cover:
            change = await self._cover(ctx, self._work(work.id), stored["cover_url"], stored["providers"][0])
            if change:
                changes.append(change)
        return IdentifyResult(work.id, "applied", stored["score"], {"title": stored["title"]}, changes,
                              "chosen by you")


def _unanswered(work_id: int, failures: dict[str, NetworkError]) -> IdentifyResult:
    """The result for a book no provider answered for: offline when none could be reached."""
    offline = all(exc.unreachable for exc in failures.values())
    what = "No provider could be reached" if offline else "No provider could be asked"
    error = f"{what}: " + " ".join(exc.message for exc in failures.values())
    return IdentifyResult(work_id, OFFLINE if offline else ERROR, error=error,
                          provider_errors={label: exc.message for label, exc in failures.items()})


def known_authors(work: WorkDetail) -> list[str]:
    """The authors a book really names: the "Unknown Author" placeholder is no evidence."""
    return [a for a in work.authors if a != UNKNOWN_AUTHOR]


def is_audiobook(work: WorkDetail) -> bool:
    """Is the book in hand an audiobook (and no ebook)? Its edition's identifiers and date are then a
    recording's."""
    kinds = {f.media_kind for f in work.files}
    return "audiobook" in kinds and "ebook" not in kinds


def query_for(work: WorkDetail) -> Query:
    """What to ask providers: identifiers first (evidence order), then title and authors."""
    audio = any(f.media_kind == "audiobook" for f in work.files)
    return Query(title=work.title, authors=tuple(known_authors(work)), isbn=work.identifiers.get("isbn"),
                 asin=work.identifiers.get("asin"), year=(work.first_published or "")[:4] or None,
                 language=work.language, audiobook=audio)


def _summary(best: Candidate | None, merged) -> dict | None:  # noqa: ANN001 - MergedRecord or None
    if best is None:
        return None
    return {"provider": best.provider, "title": (merged.title if merged else None) or best.title,
            "authors": (merged.authors if merged else None) or best.authors,
            "identifiers": (merged.identifiers if merged else None) or best.identifiers}
