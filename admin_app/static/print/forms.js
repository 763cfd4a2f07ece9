// The print button of a paper form (no inline handlers under the content security policy).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
