"""Trust: history, access logging, passwords, retention, deleted records, backups."""
