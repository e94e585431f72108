"""The Folio Django project: settings, URLs and entry points."""
