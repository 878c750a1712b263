"""edu-policy-kg: Chinese local-government education work plans as a linked-data knowledge graph."""

__version__ = "0.1.0"

# Bumped whenever extraction output can change for the same input (cache keys depend on it).
EXTRACTOR_VERSION = "1"
