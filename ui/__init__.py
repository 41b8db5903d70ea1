"""Every line of Qt lives here: the main window, one module per page, widgets and workers."""
