"""The edge: surrogate keys on responses, purges by key after every change, and the Varnish VCL.

`keys` names what a response shows, `planner` turns an editorial change into the keys it
alters, `purges` keeps them in a durable queue sent by the task worker, `backends` speaks to
Varnish nodes, Fastly and Cloudflare, `vcl` renders the configuration for a Varnish fleet.
`models` holds the purge queue and the record of what the edge showed, `receivers` notes each
change's keys in its transaction, `config` and `checks` read and check the CDN_* settings,
`admin` is the dashboard's delivery-health panel.
"""
