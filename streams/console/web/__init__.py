"""The duty officer's console in a browser (issue 20): `borderwatch console` serves it.

`app` (FastAPI routes, access per country), `feed` (the one Kafka consumer and its fan-out to browsers),
`sse` (one browser's stream), `board` (alert state per country), `accounts` (officers, argon2 hashes),
`cli` (the typer sub-commands).
"""
