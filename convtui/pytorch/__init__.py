"""Bridges from convtui's numpy engine to real PyTorch modules.

torch is imported inside functions only, so importing this package stays cheap; the core
engine never needs it.
"""
