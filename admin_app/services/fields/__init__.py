"""Custom fields (自定义字段): definitions, real columns added at run time, and per-request schema checks."""
