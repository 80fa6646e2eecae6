"""woo-anon: redact personal data from Dutch government documents released under the Woo."""

__version__ = "0.1.0"
