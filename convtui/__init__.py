"""convtui: learn how convolutional networks compute, in the terminal."""

__version__ = "0.1.0"
