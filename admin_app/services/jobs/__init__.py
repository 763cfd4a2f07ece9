"""Background jobs on a Huey queue: SQLite storage by default, Redis when REDIS_URL is set."""
