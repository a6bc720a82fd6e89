"""Conflict news map: articles → places → geocodes → statuses → dated observations → map.

The package is the pipeline and everything the dashboard, the CLI and the
snapshot use; each module owns one step of that flow.
"""
from geo import native

native.choose()

__version__ = "0.1.0"
