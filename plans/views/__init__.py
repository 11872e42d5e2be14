"""Views of the plans area: plans (list, notice page, lifecycle, revisions, history), imports, editing, outputs,
suggestions for the search fields, and the audit of one user's actions."""
