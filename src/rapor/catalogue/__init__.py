"""The indicator catalogue: indicators are data (YAML beside this file), not code.

    from rapor.catalogue import load_catalogue
    catalogue = load_catalogue()            # the shipped catalogue, parsed once
    catalogue.label_for("A.1", 72.5).label  # Text(id='Baik', en='Good')
    catalogue.pipeline_tables()             # the cat_* tables the pipeline loads

See docs/indicators.md for the content and the reasons behind the label bands.
"""

from rapor.catalogue.errors import CatalogueError
from rapor.catalogue.loader import load_catalogue
from rapor.catalogue.model import (
    AbilityDistribution,
    AbilityLevel,
    Band,
    Bentuk,
    Catalogue,
    Dimension,
    FilterOption,
    Filters,
    Indicator,
    Instrument,
    JenjangGroup,
    LabelSet,
    Participation,
    Programme,
    Source,
    Text,
)

__all__ = [
    "AbilityDistribution",
    "AbilityLevel",
    "Band",
    "Bentuk",
    "Catalogue",
    "CatalogueError",
    "Dimension",
    "FilterOption",
    "Filters",
    "Indicator",
    "Instrument",
    "JenjangGroup",
    "LabelSet",
    "Participation",
    "Programme",
    "Source",
    "Text",
    "load_catalogue",
]
