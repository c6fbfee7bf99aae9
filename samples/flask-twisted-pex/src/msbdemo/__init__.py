"""The msbdemo package of the "Anatomy of a Multi-Stage Docker Build" write-up."""
