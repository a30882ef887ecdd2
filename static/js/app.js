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

  // Negotiate: the email box is kept as it is when the counter is swapped (hx-preserve), so a
  // size the person gave it stays; its new text comes in the template beside it.
  function refreshEmailDraft() {
    var box = document.getElementById("email-draft");
    var text = document.getElementById("email-draft-text");
    if (box && text && box.value !== text.content.textContent) {
      box.value = text.content.textContent;
    }
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "counter") {
      refreshEmailDraft();
    }
  });

  // The offer form's currency follows the chosen place (each place option carries
  // data-currency), unless the person picked a currency other than the place's themselves.
  function shownAtLoad(select) {
    var option = Array.prototype.find.call(select.options, function (o) {
      return o.defaultSelected;
    });
    return option || select.options[0];
  }

  document.addEventListener("change", function (event) {
    var place = event.target;
    if (place.name !== "location" || !place.form || !place.form.elements.currency) {
      return;
    }
    var currency = place.form.elements.currency;
    var chosen = place.options[place.selectedIndex];
    var wanted = chosen ? chosen.getAttribute("data-currency") : null;
    // The currency of the place chosen before this change, or the form's own at first.
    var before = place.getAttribute("data-last-currency") ||
      shownAtLoad(place).getAttribute("data-currency") || shownAtLoad(currency).value;
    var offered = Array.prototype.some.call(currency.options, function (option) {
      return option.value === wanted;
    });
    if (offered) {
      place.setAttribute("data-last-currency", wanted);
    }
    if (wanted && offered && currency.value === before) {
      currency.value = wanted; // before htmx sends the preview: this listener captures first
    }
  }, true);

  // The offer form's live preview names the fields it can't read (li[data-field]); mark
  // those fields as the server would (is-invalid, the message next to the field), and clear
  // the mark from fields that are right again. Focus and typing are left alone.
  function liveFeedback(field, name) {
    var wrapper = document.getElementById("div_id_" + name) || field.parentNode;
    var feedback = wrapper.querySelector(".invalid-feedback");
    if (!feedback) {
      feedback = document.createElement("div");
      feedback.className = "invalid-feedback";
      feedback.id = "live-error-" + name;
      field.insertAdjacentElement("afterend", feedback);
    }
    return feedback;
  }

  function describedBy(field, id, add) {
    var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
      return x && x !== id;
    });
    if (add) {
      ids.push(id);
    }
    if (ids.length) {
      field.setAttribute("aria-describedby", ids.join(" "));
    } else {
      field.removeAttribute("aria-describedby");
    }
  }

  function markOfferFormErrors(form, preview) {
    var messages = {};
    Array.prototype.forEach.call(preview.querySelectorAll("[data-preview-errors] [data-field]"), function (item) {
      messages[item.getAttribute("data-field")] = item.getAttribute("data-message");
    });
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || !field.classList) {
        return;
      }
      var message = messages[field.name];
      if (message) {
        var feedback = liveFeedback(field, field.name);
        feedback.textContent = message;
        if (!feedback.id) {
          feedback.id = "live-error-" + field.name;
        }
        field.classList.add("is-invalid");
        field.setAttribute("aria-invalid", "true");
        describedBy(field, feedback.id, true);
      } else if (field.classList.contains("is-invalid")) {
        field.classList.remove("is-invalid");
        field.removeAttribute("aria-invalid");
        var wrapper = document.getElementById("div_id_" + field.name) || field.parentNode;
        var stale = wrapper.querySelector(".invalid-feedback");
        if (stale) {
          describedBy(field, stale.id, false);
          if (stale.id === "live-error-" + field.name) {
            stale.remove();
          }
        }
      }
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var preview = event.detail.target;
    var form = document.getElementById("offer-form");
    if (preview && preview.id === "offer-preview" && form) {
      markOfferFormErrors(form, preview);
    }
  });

  // Links and buttons marked data-print open the browser's print dialog (save as PDF).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
