"""Django's Redis cache backend, with one redis-py client per connection pool instead of per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation,
and each one copies redis-py's table of ~170 response callbacks: on a cached API response that
was about a sixth of the CPU. A `redis.Redis` is safe to share between threads (each command
takes a connection from the pool), so one per pool is kept and reused.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FolioRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def get_values(self, keys: list[str]) -> list:
        """The values of `keys` in one MGET, in order (None where missing).

        For the API's warm path: Django's `get_many` validates every key, builds a dict and
        goes through the client's command wrapper on the way; this is one `mget` on the shared
        client, with the backend's own key prefix and serializer.
        """
        client = self._cache.get_client()
        loads = self._cache._serializer.loads
        values = client.mget([self.make_key(key) for key in keys])
        return [None if value is None else loads(value) for value in values]
