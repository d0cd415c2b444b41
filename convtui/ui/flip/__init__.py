"""The Flip panel: convolution against cross-correlation."""
