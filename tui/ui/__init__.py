"""The Textual UI: the app, its screens and widgets; logic lives below, in core and store."""
