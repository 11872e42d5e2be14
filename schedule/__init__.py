"""The rules of time in supervision work, free of Django: working days on the official calendar
(workdays), how often recurring work falls due and when (recurrence), a year's work calendar by
month or quarter (calendars), and what an obligation is called (obligations). Models, services,
the data generator and exports all ask these."""
