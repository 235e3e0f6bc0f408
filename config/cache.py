"""The embedded default's shared cache: Django's database cache with an increment that
two processes cannot interleave (django-ratelimit counts with `incr`; the stock database
cache reads and writes in two steps). On SQLite the write lock is taken when the
transaction begins (IMMEDIATE, see settings); elsewhere the row is locked first. Set
REDIS_URL for a production cache."""
from __future__ import annotations

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",
                                   [self.make_and_validate_key(key, version=version)])
            return super().incr(key, delta, version)
