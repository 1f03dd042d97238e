"""minhbach: transparent digital-transformation reports from a Frictionless data package."""

__version__ = "0.1.0"
