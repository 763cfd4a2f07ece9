"""Admin views, one class per model."""
