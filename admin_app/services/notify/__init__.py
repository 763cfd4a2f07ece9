"""Messages to people: the e-mail outbox."""
