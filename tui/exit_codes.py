"""The exit codes every `backtone` command keeps to."""

EXIT_OK = 0
EXIT_BAD_DATA = 1  # a bad routine file or history
EXIT_USAGE = 2  # a usage error: a bad option, an unknown routine, no terminal
