"""planextract: Chinese local-government policy documents -> a traceable dataset."""

__version__ = "0.1.0"
# Bumped whenever extraction output can change; a change forces a full re-extract.
PIPELINE_VERSION = "1"
