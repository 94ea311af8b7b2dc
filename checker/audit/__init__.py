"""``checker audit``: folder audits with scorecards, summaries, resume and a process pool."""
