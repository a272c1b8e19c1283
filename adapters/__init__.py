"""One module per outside system: the chat platforms, the terminal, and the stores."""
