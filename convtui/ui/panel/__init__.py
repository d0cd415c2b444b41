"""The panel framework: what every panel is built on (the screen with its tabs and footer, stepping,
the lesson panel with its settings pane and PyTorch check, cell editing, dialogs, MNIST digits,
and the views of a convolution that the conv panels share)."""
