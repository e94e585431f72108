"""Importing a WordPress or Squarespace export (WXR) into draft articles, series and redirects.

`wxr.py` reads the file safely as a stream, `bodies.py` (with `rich_text.py`, `shortcodes.py`,
`embeds.py`, `references.py` and `navigation.py`) turns a post's HTML into body blocks,
`chains.py` orders hand-made series, `objects.py` and `media.py` bring authors, topics and
images, and `importer.py` writes it all in one transaction with `posts.py` and `series.py`.
"""
