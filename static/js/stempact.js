// Small progressive enhancements; inline handlers are forbidden by the Content Security Policy.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit")) {
    field.form.requestSubmit();
  }
});

// htmx does not swap 4xx answers by default. A form inside [data-swap-errors] answers 400 when a value is refused,
// 403 when the object was locked meanwhile and 409 when someone else saved first, each with the form and what the
// person typed: those answers are swapped in like any other, so nothing typed disappears without a word.
const SWAPPED_ERRORS = [400, 403, 409];

function swapsErrors(detail) {
  const source = detail.requestConfig && detail.requestConfig.elt;
  return SWAPPED_ERRORS.includes(detail.xhr.status) && source instanceof Element && source.closest("[data-swap-errors]");
}

document.addEventListener("htmx:beforeSwap", (event) => {
  if (swapsErrors(event.detail)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
