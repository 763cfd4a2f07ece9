"""Spreadsheet exchange: Excel/CSV import and xlsx export."""
