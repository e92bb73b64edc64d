"""Test suite of the attention book (a package, so test helpers import as tests.conftest)."""
