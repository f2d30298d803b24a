// Start GOV.UK Frontend's components; every page works without this script.
import { initAll } from '/govuk-frontend/govuk-frontend.min.js'
initAll()

// A council picker (a plain select without this script) becomes a searchable autocomplete.
const autocomplete = window.accessibleAutocomplete
if (autocomplete) {
  for (const select of document.querySelectorAll('select[data-ledger-autocomplete]')) {
    autocomplete.enhanceSelectElement({ selectElement: select, defaultValue: '', showAllValues: true, autoselect: false })
  }
}
