__version__ = "4.44.0"
