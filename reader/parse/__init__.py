"""Bytes to articles: decoding, front matter, RSS headers, HTML and Markdown bodies, whole pages. Pure."""
