"""How responses reach clients and stay right: the response cache, delta sync, preview, the CDN.

`caching` and `middleware` (content generations, ETags, the shared response cache), `sync`,
`sync_receivers` and `sync_retention` (the change log, who writes it and its pruning), `models`
(the log's tables), `preview` (signed draft previews) and `cdn` (surrogate keys and purges).
"""
