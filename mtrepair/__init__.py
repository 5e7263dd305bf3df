"""mtrepair: repair French news text damaged by spinning and machine translation."""

__version__ = "0.1.0"
