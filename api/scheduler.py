"""The delivery side's share of each scheduler round: webhook and purge sweeps, sync pruning."""

from django.dispatch import receiver

from api.cdn.purges import edge_purge_sweep
from api.sync_retention import sync_log_prune
from api.webhooks import webhook_sweep
from articles.events import scheduler_round_due


@receiver(scheduler_round_due, dispatch_uid="api-scheduler-round")
def scheduler_round(sender, **kwargs):
    # Safe beside other schedulers: each delivery is taken by a conditional UPDATE.
    webhook_sweep()
    # Purges whose task was lost or whose retry is due on a backend that cannot defer.
    edge_purge_sweep()
    # Sync changes past the retention, in bounded batches (editorial writes wait on each).
    sync_log_prune()
