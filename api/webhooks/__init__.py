"""Signed webhooks for partners, delivered at least once from a durable outbox.

`models` the endpoints, events, deliveries and attempts; `receivers` writes events to the outbox
in the editorial transaction; `events` decides what partners are told; `delivery` sends them
through `transport` (with `addresses`' private-address guard) signed by `signing`; `services`
creates endpoints and redelivers; `admin` and `dashboard` are their screens and panel.
"""
