"""The Train panel: a background MNIST job, followed live."""
