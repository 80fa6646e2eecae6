"""Review in the browser: a local web screen that edits a request's plan JSON files.

`woo-anon review PLANDIR [INPUT...]` starts it (see `server.serve`). The plans stay the single
source of truth: every click is written to `<name>.plan.json` at once, and Toepassen calls the
same library function as `woo-anon apply`.
"""
