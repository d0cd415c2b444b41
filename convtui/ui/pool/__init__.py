"""The Pooling panel: max and average pooling, stepped."""
