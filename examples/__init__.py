"""One valid input per built-in type, installed with docgen as ``docgen._examples`` (``docgen init`` copies them)."""
