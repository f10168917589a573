"""The catalogue flattened into the `cat_*` tables the pipeline loads into DuckDB.

Keys of each row are column names. Sub-indicators get their own rows wherever they inherit
something from their parent (levels, jenjang, bands), so SQL never has to walk the tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rapor.catalogue.model import Catalogue

Row = dict[str, object]


def build_pipeline_tables(catalogue: Catalogue) -> dict[str, list[Row]]:
    indicators = catalogue.all_indicators
    filters = catalogue.filters
    return {
        "cat_indicators": [
            {
                "indicator": indicator.code,
                "parent_indicator": indicator.parent_code,
                "dimension": indicator.dimension,
                "respondent": indicator.respondent,
                "measure": indicator.measure,
                "unit": indicator.unit,
                "source": indicator.source,
                "sort_order": indicator.sort_order,
            }
            for indicator in indicators
        ],
        "cat_indicator_levels": [
            {"indicator": indicator.code, "entity_type": level}
            for indicator in indicators
            for level in indicator.levels
        ],
        "cat_indicator_jenjang": [
            {"indicator": indicator.code, "jenjang": jenjang}
            for indicator in indicators
            for jenjang in indicator.jenjang
        ],
        "cat_bands": [
            {
                "indicator": indicator.code,
                "band_order": band.order,
                "lower_bound": band.lower_bound,
                "upper_bound": band.upper_bound,
                "label_key": band.key,
                "label_id": band.label.id,
            }
            for indicator in indicators
            for band in indicator.bands
        ],
        "cat_participation": [
            {
                "indicator": indicator.code,
                "formula": indicator.participation.formula,
                "age_min": indicator.participation.age_min,
                "age_max": indicator.participation.age_max,
                "jenjang": indicator.participation.jenjang,
            }
            for indicator in indicators
            if indicator.participation is not None
        ],
        "cat_ability_measures": [
            {
                "indicator": indicator.code,
                "level_measure": catalogue.ability_distribution(
                    indicator.ability_distribution
                ).level_measure,
            }
            for indicator in indicators
            if indicator.ability_distribution is not None
        ],
        "cat_ability_levels": [
            {"level": level.level, "label_key": level.key, "label_id": level.label.id}
            for level in catalogue.ability_levels
        ],
        "cat_filter_bentuk": [
            {"jenjang": group.key, "bentuk": bentuk}
            for group in filters.jenjang
            for bentuk in group.bentuk
        ],
        "cat_programmes": [
            {
                "school_bentuk": programme.school_bentuk,
                "jenjang": programme.jenjang,
                "programme_bentuk": programme.programme_bentuk,
            }
            for programme in filters.programmes
        ],
        "cat_region_excluded_bentuk": [
            {"school_bentuk": bentuk} for bentuk in filters.region_excluded_school_bentuk
        ],
    }
