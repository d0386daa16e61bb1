// Rapport's only script besides htmx. Pages work without it.
// After an htmx swap, move focus to the first invalid field so keyboard and
// screen-reader users land on the error.
// (event.target is the element now in the page; detail.target may be the
// one an outerHTML swap just replaced.)
document.addEventListener("htmx:afterSwap", function (event) {
  var invalid = event.target.querySelector("[aria-invalid=true]");
  if (invalid) {
    invalid.focus();
  }
});

// The public quote page's "Print" button (hidden without this script; the
// browser's own print works either way).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
