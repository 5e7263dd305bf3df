"""The glossary folder, importable as ``mtrepair.glossary_files`` so that the
shipped rule files are found with importlib.resources (see setup.cfg)."""
