"""The Transposed panel: nn.ConvTranspose2d stepped in its scatter and gather readings, with
its output-size arithmetic, the PyTorch script and check (issue 17)."""
