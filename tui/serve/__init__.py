"""`backtone serve`: the app in a browser tab, through textual-serve, locked by a token.

Nothing here is imported until `serve` runs: textual-serve pulls in aiohttp, which would
slow every other command's start-up.
"""
