"""Turn a raw page into a clean, described article. Pure functions: no database here."""
