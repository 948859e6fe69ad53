"""One search as every interface asks it: `verbatim ask`, the /ask and /search_html APIs and the page."""

from __future__ import annotations

from dataclasses import dataclass, field

from app import arguments
from index.search import Filters, Searcher, Verdict
from index.search.hits import Hit


@dataclass(frozen=True)
class SearchRequest:
    question: str
    mode: str
    k: int
    filters: Filters = field(default_factory=Filters)

    @classmethod
    def from_values(cls, question: object, mode: object, k: object, publishers: object = None, doc_ids: object = None,
                    since: object = None, until: object = None, languages: object = None, undated: object = False, *,
                    default_mode: str) -> SearchRequest:
        """A request from what an API caller or the page sent, checked: ArgumentError names the first
        value that is not of the right type or in range."""
        filters = arguments.filters(publishers, doc_ids, since, until, languages, undated)
        return cls(arguments.question_text(question), arguments.mode_name(mode, default_mode),
                   arguments.passage_count(k), filters)

    def answer(self, searcher: Searcher) -> tuple[list[Hit], Verdict | None]:
        """The hits and, in the modes that judge, whether they answer the question."""
        return searcher.answer(self.question, mode=self.mode, k=self.k, filters=self.filters)
