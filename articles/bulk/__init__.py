"""Bulk benchmark content: many realistic published articles, inserted in batches (seed_bulk)."""
