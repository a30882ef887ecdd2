// OfferBench's only script of its own: tell people when a partial update failed,
// instead of leaving a stale fragment on screen without a word.
(function () {
  "use strict";

  function showError(message) {
    var box = document.getElementById("htmx-error");
    if (!box) {
      return;
    }
    box.textContent = message;
    box.classList.remove("d-none");
  }

  function hideError() {
    var box = document.getElementById("htmx-error");
    if (box) {
      box.classList.add("d-none");
    }
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 429) {
      showError("Too many requests. Please wait a moment and try again.");
    } else if (status === 403 || status === 401) {
      showError("Your session has ended. Reload the page and sign in again.");
    } else if (status === 404) {
      showError("That item no longer exists. Reload the page to see the current state.");
    } else {
      showError("Something went wrong while updating this part of the page (error " + status + "). Please try again.");
    }
  });

  document.addEventListener("htmx:sendError", function () {
    showError("Could not reach OfferBench. Check your connection and try again.");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      hideError();
    }
  });

  // Buttons marked data-copy-target copy the text of the element they name.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) {
      return;
    }
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.value || source.textContent).then(function () {
        button.textContent = "Copied";
      });
    }
  });

  // Links and buttons marked data-print open the browser's print dialog (save as PDF).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
