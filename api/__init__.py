"""The delivery layer: the JSON content API, feeds and webhooks for mobile apps and partner sites.

Grouped by audience and concern, each package saying what it owns: `content` (the endpoints'
views, parameters, pagination and the shapes they return), `delivery` (the response cache,
delta sync, preview and the CDN), `partners` (keys, rate limits, rights, usage and their admin),
`webhooks` and `feeds`. Shared at the top: `errors` (the one error body), `urls`, `health`
(probes) and `models` (Django's registry of the packages' models). What a client may see is the
domain's rule (articles/selectors); this layer applies it to a request and never redefines it.
"""
