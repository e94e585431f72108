"""The content endpoints: parse parameters, plan with the domain's selectors, page, load, shape.

`views` (one class per endpoint), `filters` (list parameters), `pagination` (keyset cursors),
`search`, `visibility` (the rule for a request), `summaries` (batch loaders), `serializers` and
`bodies` (shapes, which never query), `images` and `addresses` (absolute URLs), `schema` (the
OpenAPI document's extras), `warmup` (a fresh worker's memos).
"""
