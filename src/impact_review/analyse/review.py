"""Every table the review presents, computed once from the cleaned recommendations."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from impact_review.analyse import counts, implementation, quality, restated
from impact_review.intake.taxonomy import Taxonomy, default_taxonomy


@dataclass(frozen=True)
class Analysis:
    """The review's tables. A new section adds its table here and its function in counts.py."""

    recommendations: pd.DataFrame
    by_source_type: pd.DataFrame
    by_source: pd.DataFrame
    by_area: pd.DataFrame
    by_agency: pd.DataFrame
    agency_area: pd.DataFrame
    themes: pd.DataFrame
    impact: pd.DataFrame
    # Implementation at the as-at date (analyse/implementation.py).
    by_status: pd.DataFrame
    by_rag: pd.DataFrame
    overdue: pd.DataFrame
    slippage_by_agency: pd.DataFrame
    slippage_by_source_type: pd.DataFrame
    little_progress: tuple[str, ...]
    # The quality of the recommendations (analyse/quality.py) and those restating an earlier one
    # (analyse/restated.py), from the columns cleaning derived.
    by_check: pd.DataFrame
    quality_by_source_type: pd.DataFrame
    quality_by_agency: pd.DataFrame
    flagged_activities: pd.DataFrame
    restated: pd.DataFrame

    @cached_property
    def areas_recorded(self) -> bool:
        """Whether the review has areas of learning to present (see counts.areas_recorded)."""
        return counts.areas_recorded(self.recommendations)


def analyse(recommendations: pd.DataFrame, taxonomy: Taxonomy | None = None) -> Analysis:
    taxonomy = taxonomy or default_taxonomy()
    recommendations = restated.with_restated(
        quality.with_check_results(recommendations, taxonomy), taxonomy
    )
    return Analysis(
        recommendations=recommendations,
        by_source_type=counts.count_by_source_type(recommendations, taxonomy),
        by_source=counts.count_by_source(recommendations, taxonomy),
        by_area=counts.count_by_area(recommendations, taxonomy),
        by_agency=counts.count_by_agency(recommendations, taxonomy),
        agency_area=counts.cross_agency_area(recommendations, taxonomy),
        themes=counts.count_themes(recommendations, taxonomy),
        impact=counts.impact_examples(recommendations, taxonomy),
        by_status=implementation.count_by_status(recommendations, taxonomy),
        by_rag=implementation.count_by_rag(recommendations, taxonomy),
        overdue=implementation.overdue_recommendations(recommendations),
        slippage_by_agency=implementation.slippage_by(
            recommendations, "agency", list(taxonomy.agencies.names), taxonomy
        ),
        slippage_by_source_type=implementation.slippage_by(
            recommendations, "source_type", list(taxonomy.source_types.names), taxonomy
        ),
        little_progress=implementation.little_progress(recommendations, taxonomy),
        by_check=quality.count_by_check(recommendations, taxonomy),
        quality_by_source_type=quality.passing_by(
            recommendations, "source_type", list(taxonomy.source_types.names)
        ),
        quality_by_agency=quality.passing_by(
            recommendations, "agency", list(taxonomy.agencies.names)
        ),
        flagged_activities=quality.flagged_activities(recommendations, taxonomy),
        restated=restated.restated_listing(
            recommendations, restated.RestatedRule.of(taxonomy).listed
        ),
    )
