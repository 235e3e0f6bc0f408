"""Pages of long lists without counting every row: a person's done list or a busy queue
can hold hundreds of thousands of tasks, and an exact COUNT of them costs more than the
page itself. The count stops at `bound` + 1 rows; the page then says "more than …"."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

BOUND = 1000


class BoundedPaginator(Paginator):
    bound = BOUND

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if hasattr(qs, "values_list"):  # a query: count at most bound + 1 rows, in the database
            return qs.order_by()[: self.bound + 1].count()
        return min(len(qs), self.bound + 1)

    @property
    def bounded(self) -> bool:
        """True when there are more rows than were counted."""
        return self.count > self.bound


def keyed_page(queryset, number, per_page: int):
    """A page of `queryset` ordered and cut on the table's own keys (no joins, nothing
    prefetched), then the rows of that page loaded with everything the queryset joins and
    prefetches: the joins cost one page of rows, not every match of a broad filter."""
    keys_only = queryset.select_related(None).prefetch_related(None).values_list("pk", flat=True)
    page = Paginator(keys_only, per_page).get_page(number)
    keys = list(page.object_list)
    rows = queryset.order_by().filter(pk__in=keys).in_bulk() if keys else {}
    page.object_list = [rows[k] for k in keys if k in rows]
    return page
