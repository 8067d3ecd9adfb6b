"""The Kafka/Faust wiring of each stage: read, decode, call the pure decision in `agents/`, send.

One module per stage, named after the decision it wires: `screening_*` (agents/screening.py),
`alerting` (agents/alerting/stage.py), `retro_screening` (agents/retro_screening.py), `watchlist`
(agents/watchlist.py).
"""
