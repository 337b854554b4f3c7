// A "print" button: the browser's print dialog (the page has its own print styles).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
