"""Domain rules as plain functions, testable without HTTP."""
