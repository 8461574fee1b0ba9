"""Innokraft's exercise widgets: they show and collect; widgets/compute/ computes.

Exercise classes are imported on first use (a module __getattr__), so a page, or a test
of widgets.compute, loads only what it needs.
"""

from importlib import import_module

_WHERE = {
    "MythOrData": "myth_or_data",
    "CaseSorter": "case_sorter",
    "RatingGrid": "rating_grid",
    "Quiz": "quiz",
    "Reflections": "reflection",
    "UnitBarometer": "unit_barometer",
    "PortfolioMapper": "portfolio_mapper",
    "AssumptionMap": "assumption_map",
    "Simulator": "simulator",
    "Prediction": "prediction",
    "PrintSheet": "print_sheet",
    "EvidenceSimulator": "evidence_simulator",
    "TestCard": "test_card",
    "DiffusionSimulator": "diffusion_simulator",
    "KotterAudit": "kotter_audit",
    "SafetyCards": "safety_cards",
    "TeamPulse": "team_pulse",
    "MandateMatrix": "mandate_matrix",
    "CapabilityProfile": "capability_profile",
    "BenefitMap": "benefit_map",
    "ThenNow": "then_now",
    "NinetyDayPlan": "plan",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
