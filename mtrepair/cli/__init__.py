"""The ``mtrepair`` command line: a thin layer over the library."""
