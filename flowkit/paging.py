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
