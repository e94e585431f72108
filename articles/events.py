"""Editorial events the domain announces and the delivery side subscribes to (api/apps.py).

Wagtail's and Django's own signals (page_published, post_save, ...) announce single edits. These
announce what has no such signal: rows written in bulk, which bypass the models' save and
delete, a retraction, and the scheduler's round, where periodic work beyond publishing is
due. The domain sends them and knows nothing of who listens: cache generations, the sync log,
the CDN and the webhooks subscribe, so `articles/` never imports `api/`.
"""

from django.dispatch import Signal

# Sent inside the transaction that inserted them, with `article_ids` (a list of ids): new,
# published articles that no save() announced.
bulk_articles_created = Signal()

# Sent inside the deleting transaction, before the rows go, with `article_ids` (a queryset of
# ids, still readable): articles about to be deleted with raw deletes.
bulk_articles_deleting = Signal()

# Sent inside the transaction of a bulk load or delete, once it has written everything: too
# many articles changed to name them one by one.
bulk_articles_written = Signal()

# Sent in the transaction that adds, changes or removes a page's view restriction, with `path`
# (the restricted page's tree path, read after any move) and `page_id`: what is under it may
# have appeared or disappeared for the public (articles/signals.py sends it).
page_restriction_changed = Signal()

# Sent by `manage.py run_scheduler` once per round, after scheduled publishing.
scheduler_round_due = Signal()

# Sent in the transaction that recorded it, with `correction` (an ArticleCorrection) and
# `article_id`: a correction is a public fact of a published article (articles/corrections.py).
article_corrected = Signal()

# Sent in the transaction that records a retraction (articles/retraction.py), with `article`
# (the ArticlePage) and `retraction` (its ArticleRetraction): the article leaves every list,
# feed, series and sync page, its detail shows a notice, and partners must take it down.
article_retracted = Signal()
