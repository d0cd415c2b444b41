"""The Backward panel: the gradients of a convolution, grad_input in its scatter and gather
readings, grad_weight and grad_bias, with the PyTorch script and autograd check (issue 17)."""
