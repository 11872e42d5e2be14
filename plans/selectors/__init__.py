"""Reads, by area: plans (list, a plan as its notice, revisions), counties, history."""
