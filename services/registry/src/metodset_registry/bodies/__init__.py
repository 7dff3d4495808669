"""Methodical bodies (associations, councils, groups): their members, compositions, import and export."""
