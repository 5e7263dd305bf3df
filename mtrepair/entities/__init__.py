"""Entity restoration: garbled proper names back to the real ones.

``EntityPass(config)`` is the pass the Repairer runs (name ``"entities"``);
``load_gazetteer()`` gives the shipped gazetteer of outlets, newsletters,
events, companies, labs, products and programmes.
"""

from .entity_pass import EntityPass
from .gazetteer import Entity, Gazetteer, GazetteerError, load_gazetteer

__all__ = ["EntityPass", "Entity", "Gazetteer", "GazetteerError", "load_gazetteer"]
