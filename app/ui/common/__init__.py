"""Pieces every screen uses: the context, background operations, widgets, theme, display, speech."""
