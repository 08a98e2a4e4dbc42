"""The jupyter_server extension: thin authenticated REST handlers over the core."""
