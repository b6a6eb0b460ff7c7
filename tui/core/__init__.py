"""The model and engine: routine files, plans, the session on an injected clock. Stdlib only."""
