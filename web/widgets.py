"""GOV.UK Frontend widgets whose fieldset keeps its legend when a template styles it.

govuk-frontend-wtf fills the legend from the field's label only when the template passes no
`fieldset`; `params={'fieldset': {'legend': {'classes': ...}}}` would leave a question with no
legend anyone sees or hears (WCAG 1.3.1, 3.3.2). These widgets put the label back."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovDateInput, GovRadioInput


class _KeepsLegend:
    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)  # type: ignore[misc]
        legend = params.get("fieldset", {}).get("legend")
        if legend is not None and not (legend.get("text") or legend.get("html")):
            legend["text"] = field.label.text
        return params


class RadioInput(_KeepsLegend, GovRadioInput):
    """Radios in a fieldset whose legend is the field's label."""


class DateInput(_KeepsLegend, GovDateInput):
    """Day, month and year in a fieldset whose legend is the field's label."""


class CheckboxesInput(_KeepsLegend, GovCheckboxesInput):
    """Checkboxes in a fieldset whose legend is the field's label."""
