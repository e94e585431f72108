"""Partners: their keys, rate limits, syndication rights and usage, and their admin screens.

`models`, `provisioning` (create partners, issue and revoke keys; the `partners` command in
api/management/commands, where Django looks for it, calls it), `keys` (authentication),
`throttling`, `rights` (who gets full text), `usage`, `cors` (their browser origins), `admin`
and `dashboard`.
"""
