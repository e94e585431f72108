"""The editorial domain: authors, topics, series and article pages."""
