"""Scoring against the gold (../shared/gold/GUIDELINES.md, 'How extractions are scored')."""
