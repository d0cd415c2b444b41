"""The Stepper panel: a kernel stepped across the input, one output cell at a time."""
