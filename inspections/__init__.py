"""The inspections area: the register of schools, 督学 and 督学责任区 each county keeps, and (later)
the inspections, visits and rectification built on it."""
