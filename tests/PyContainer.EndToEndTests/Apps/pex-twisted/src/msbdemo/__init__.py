"""A Flask app served by Twisted from a single-file pex."""
