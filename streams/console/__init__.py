"""The duty officer's console: in a terminal (`terminal`), and in a browser (`web`)."""
