"""Textual-free lesson state for the stepping panels: immutable, validated, built from core."""
