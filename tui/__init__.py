"""backtone: guided back-exercise routines in the terminal."""
