"""Views by area: plans (list, notice page, lifecycle, revisions, history), counties, imports,
suggestions for the search fields, and the audit of one user's actions."""
