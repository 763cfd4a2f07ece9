"""Record lifecycles, deadlines in working days, the dashboard and reports."""
