"""Puente: filings for unaccompanied and separated migrant children in Mexico.

The core (case record, law data, deadlines, documents, command line) never
imports docassemble; the interviews call it through ``docassemble.puente.da``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
