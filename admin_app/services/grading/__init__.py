"""Credit grading (A/B/C) rules, in Python and as set-based SQL."""
