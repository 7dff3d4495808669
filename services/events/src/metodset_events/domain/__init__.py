"""Pure rules of the events service: no I/O, tested without a database."""
