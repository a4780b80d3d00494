// Measuring forms (templates/baseline/measure/*.html): autosave with htmx, refused saves shown in place.
// No inline handlers: the Content Security Policy forbids them.

// Refused saves (400, 403, 409) are swapped into [data-swap-errors] forms by static/js/stempact.js.

// A save that never reached the server (network down, server error): say so in the status line.
function showSaveFailure(event) {
  const status = document.getElementById("save-status");
  const source = event.detail && event.detail.elt;
  if (!status || !(source instanceof Element) || !source.closest("#element-form, #review-form")) {
    return;
  }
  status.textContent = status.dataset.errorText || "";
}
document.addEventListener("htmx:sendError", showSaveFailure);
document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr.status;
  if (![400, 403, 409].includes(status)) {
    showSaveFailure(event);
  }
});

// After a refused save the form stops saving by itself (data-unsaved) until the person chose "Save anyway":
// warn before leaving the page, so what they typed is not lost by accident.
window.addEventListener("beforeunload", (event) => {
  if (document.querySelector("form[data-unsaved]") && !window.measurementSubmitting) {
    event.preventDefault();
  }
});
document.addEventListener("submit", (event) => {
  if (event.target instanceof HTMLFormElement && event.target.hasAttribute("data-unsaved")) {
    window.measurementSubmitting = true;
  }
});
