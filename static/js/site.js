// Behaviour of every page, from this file only: the Content-Security-Policy allows no inline script or handler.
"use strict";

// <button data-confirm="…">: asks before the form is sent.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
