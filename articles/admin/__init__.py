"""The editors' admin beyond plain panels: series readouts, membership from the article editor,
and the dashboard panels."""
