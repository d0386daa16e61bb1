// Rapport's only script besides htmx. Pages work without it.
// After an htmx swap, move focus to the first invalid field so keyboard and
// screen-reader users land on the error.
document.addEventListener("htmx:afterSwap", function (event) {
  var invalid = event.detail.target.querySelector("[aria-invalid=true]");
  if (invalid) {
    invalid.focus();
  }
});
