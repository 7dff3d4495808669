"""The events service's kinds of import (the kit's tabular mechanism): the results of an olympiad stage."""
from metodset_kit.tabular.api import Imports

from .olympiads_import import RESULTS

IMPORTS = Imports([RESULTS])
