"""Settings per environment: base, dev, production and test."""
