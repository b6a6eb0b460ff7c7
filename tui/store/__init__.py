"""The history store: every session in one SQLite file. Below the UI; never imports Textual.

Import from the modules themselves: `backtone status` reads the history without loading the
rest of the store.
"""
