"""Labelled evaluation set for the matcher (see bench/README.md)."""
