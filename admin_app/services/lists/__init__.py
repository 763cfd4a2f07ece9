"""Fast lists: indexed search."""
