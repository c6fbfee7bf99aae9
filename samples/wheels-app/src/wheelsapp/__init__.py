"""A tiny package installed from its own wheel, as in the Alpine multi-stage write-up."""
