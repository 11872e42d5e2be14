"""Reads of the plans area: plans (list, a plan as its notice, revisions), history, calendars, editing, paging."""
