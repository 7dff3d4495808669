"""The registry's kinds of import and export, served by the kit's tabular mechanism (templates, upload jobs
with progress, exports): organisations, staff, bodies, courses, diagnostics."""
from metodset_kit.tabular.api import Imports

from .bodies import BODIES
from .courses import COURSES
from .diagnostics import DIAGNOSTICS
from .organisations import ORGANISATIONS
from .staff import STAFF

IMPORTS = Imports([ORGANISATIONS, STAFF, BODIES, COURSES, DIAGNOSTICS])
