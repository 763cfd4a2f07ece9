"""The paper forms the seeds name (print-ready) and the follow-up register (回访登记)."""
