"""Helpers that are not models: formatting for the reader."""
