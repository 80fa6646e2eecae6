"""Duplicates and e-mail threads: every text reviewed once, every copy redacted the same.

`group_documents` groups a batch (exact, near, contained, threads); `propagate` makes the
redaction decisions of a group agree; `report` writes duplicates.csv and the inventory fields.
"""

from woo_anon.dedupe.group import DocText, Grouping, Match, Options, group_documents, read_pdf
from woo_anon.dedupe.threads import MailHeaders, thread_subject

__all__ = ["DocText", "Grouping", "Match", "Options", "group_documents", "read_pdf", "MailHeaders",
           "thread_subject"]
