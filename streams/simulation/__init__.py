"""Synthetic checkpoint traffic with planted watchlist hits: `travellers` makes the events (no I/O),
`publish` sends them to the event topics at a given rate."""
