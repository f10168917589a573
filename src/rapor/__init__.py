"""Rapor: education report cards from a country's school data."""
