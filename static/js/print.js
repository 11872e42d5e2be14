// The print page's button: shown only where a script can open the print dialog (Ctrl+P works
// everywhere, and the page says so).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
