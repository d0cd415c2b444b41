"""Training a CNN on MNIST: data, models, the background job, its run files and their readers.

Modules that the UI needs without torch (``idx``, ``mnist_source``, ``config``, ``events``,
``runs``, ``run``, ``resume``, ``launch``, ``preflight``, ``series``) import only numpy and the
standard library; everything else imports torch.
"""
