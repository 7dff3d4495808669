"""Documents with verification codes, the one mechanism of every service that issues them (certificates of
participation now, olympiad diplomas later): a code (codes.py), the PDF (pdf.py), the table of issued documents
with revocation (store.py) and the public verification endpoint (public.py)."""
from .codes import display, new_code, normalise
from .pdf import DocumentSpec, Fact, render
from .public import PUBLIC, MissThrottle, verification_router
from .store import Issued, find_valid, issue, issued, pdf_of, revoke, valid_shows

__all__ = ["PUBLIC", "DocumentSpec", "Fact", "Issued", "MissThrottle", "display", "find_valid", "issue", "issued",
           "new_code", "normalise", "pdf_of", "render", "revoke", "valid_shows", "verification_router"]
