"""What staff take out of the app, and the one sheet that comes back in.

cells: the one way a cell is written. excel: a plan as the 分月安排 workbook. excel_import: that
workbook, edited, back into a draft (check, read, apply). ical: calendar feeds. feeds: the secret
in a feed's address. dashboard: a dashboard as a workbook.
"""
