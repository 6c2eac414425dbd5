from django.urls import path

from .views import costs, cross_check, positions, relief, rules, savings

app_name = "allocation"

urlpatterns = [
    # Rule sets and the what-if calculator
    path("rules/", rules.rule_set_list, name="rule_sets"),
    path("rules/<int:year>/", rules.rule_set_detail, name="rule_set_detail"),
    path("rules/<int:year>/edit/", rules.rule_set_update, name="rule_set_update"),
    path("rules/<int:year>/copy/", rules.rule_set_copy, name="rule_set_copy"),
    path("what-if/", rules.what_if, name="what_if"),
    # Cross-verification of allocation data
    path("units/", cross_check.unit_allocation_list, name="unit_allocation_list"),
    path("units/open/", cross_check.unit_allocations_open, name="unit_allocations_open"),
    path("units/<int:pk>/", cross_check.unit_allocation_detail, name="unit_allocation_detail"),
    path("units/<int:pk>/figures/", cross_check.party_figures_edit, name="party_figures_edit"),
    path("units/<int:pk>/step/", cross_check.unit_allocation_step, name="unit_allocation_step"),
    path("units/<int:pk>/comment/", cross_check.discrepancy_comment, name="discrepancy_comment"),
    # Compliance positions
    path("positions/", positions.position_list, name="position_list"),
    path("positions/recompute/", positions.position_recompute, name="position_recompute"),
    path("positions/early-warning/", positions.early_warning, name="early_warning"),
    path(
        "positions/early-warning/project/",
        positions.early_warning_project,
        name="early_warning_project",
    ),
    path("settings/", positions.allocation_settings_edit, name="settings"),
    path(
        "positions/<int:enterprise_pk>/<int:year>/surrender/",
        positions.surrender_record_edit,
        name="surrender_record_edit",
    ),
    # Relief applications
    path("relief/", relief.relief_list, name="relief_list"),
    path("savings/", savings.savings_list, name="savings_list"),
    path("relief/new/", relief.relief_create, name="relief_create"),
    path("relief/<int:pk>/", relief.relief_detail, name="relief_detail"),
    path("relief/<int:pk>/edit/", relief.relief_update, name="relief_update"),
    path("relief/<int:pk>/documents/", relief.relief_document_add, name="relief_document_add"),
    path("relief/documents/<int:pk>/", relief.relief_document, name="relief_document"),
    path("relief/<int:pk>/submit/", relief.relief_submit, name="relief_submit"),
    path("relief/<int:pk>/return/", relief.relief_return, name="relief_return"),
    path("relief/<int:pk>/forward/", relief.relief_forward, name="relief_forward"),
    path("relief/<int:pk>/decide/", relief.relief_decide, name="relief_decide"),
    path("relief/<int:pk>/withdraw/", relief.relief_withdraw, name="relief_withdraw"),
    # The compliance-cost ledger: entered and reversed, never edited or deleted
    path("costs/", costs.cost_list, name="cost_list"),
    path("costs/new/", costs.cost_create, name="cost_create"),
    path("costs/import/", costs.cost_import, name="cost_import"),
    path("costs/import/template.xlsx", costs.cost_import_template, name="cost_import_template"),
    path("costs/<int:pk>/", costs.cost_detail, name="cost_detail"),
    path("costs/<int:pk>/reverse/", costs.cost_reverse, name="cost_reverse"),
    path("costs/<int:pk>/documents/", costs.cost_document_add, name="cost_document_add"),
    path("costs/documents/<int:pk>/", costs.cost_document, name="cost_document"),
    # Carbon prices and the valuation of each year's savings
    path("prices/", costs.price_list, name="price_list"),
    path("prices/new/", costs.price_create, name="price_create"),
    path("prices/import/", costs.price_import, name="price_import"),
    path(
        "prices/import/template.xlsx",
        costs.price_import_template,
        name="price_import_template",
    ),
    path("prices/<int:pk>/edit/", costs.price_update, name="price_update"),
    path("prices/<int:pk>/delete/", costs.price_delete, name="price_delete"),
    path("prices/valuations/<int:year>/", costs.valuation_edit, name="valuation_edit"),
]
