"""Demo data (placeholder until the generator lands)."""


def load_demo(customers=240):
    """Load demo data; return how many customers were added."""
    return 0
