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

  // The offer form shows the terms of stock options (marked data-options-only) only while the
  // equity chosen is options (the kinds the equity menu lists in data-option-kinds). Hidden, they
  // are disabled too, so they are not sent: an offer without options keeps none of them. An
  // 83(b) election is made only with early exercise, so its box waits for that one.
  function showOptionFields(form) {
    var kind = form.elements.equity_kind;
    if (!kind || !kind.hasAttribute("data-option-kinds")) {
      return;
    }
    var options = kind.getAttribute("data-option-kinds").split(" ").indexOf(kind.value) !== -1;
    Array.prototype.forEach.call(form.querySelectorAll("[data-options-only]"), function (part) {
      part.hidden = !options;
      Array.prototype.forEach.call(part.querySelectorAll("input, select, textarea"), function (field) {
        field.disabled = !options;
      });
    });
    var early = form.elements.early_exercise;
    var election = form.elements.election_83b;
    if (options && early && election) {
      election.disabled = !early.checked;
      if (!early.checked) {
        election.checked = false;
      }
    }
  }

  document.addEventListener("change", function (event) {
    var name = event.target.name;
    if ((name === "equity_kind" || name === "early_exercise") && event.target.form) {
      showOptionFields(event.target.form); // before htmx sends the preview: this listener captures first
    }
  }, true);

  function showOptionFieldsWithin(root) {
    var form = root.id === "offer-form" ? root : root.querySelector && root.querySelector("#offer-form");
    if (form) {
      showOptionFields(form);
    }
  }

  if (window.htmx) {
    window.htmx.onLoad(showOptionFieldsWithin);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      showOptionFieldsWithin(document.body);
    });
  }

  // The offer form's live preview names the fields it can't read (li[data-field]); mark
  // those fields as the server would (is-invalid, the message next to the field), and clear
  // the mark from fields that are right again. Focus and typing are left alone.
  function shownFeedback(field) {
    var wrapper = document.getElementById("div_id_" + field.name) || field.parentNode;
    return wrapper.querySelector(".invalid-feedback");
  }

  // The field's message box: the server's, or one made next to the field for the preview.
  function liveFeedback(field) {
    var feedback = shownFeedback(field);
    if (!feedback) {
      feedback = document.createElement("div");
      feedback.className = "invalid-feedback";
      field.insertAdjacentElement("afterend", feedback);
    }
    if (!feedback.id) {
      feedback.id = "live-error-" + field.name;
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
        var feedback = liveFeedback(field);
        feedback.textContent = message;
        field.classList.add("is-invalid");
        field.setAttribute("aria-invalid", "true");
        describedBy(field, feedback.id, true);
      } else if (field.classList.contains("is-invalid")) {
        field.classList.remove("is-invalid");
        field.removeAttribute("aria-invalid");
        var stale = shownFeedback(field);
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

/* Searchable select */
// A menu marked data-search-url (benchmarks/widgets.py) gets a text box in front of it that
// finds its rows by name or code as one types (ARIA combobox with a listbox popup). Choosing a
// match sets the menu's value and tells the form it changed; the menu itself stays, so the page
// works as before without this script.
(function () {
  "use strict";

  var SETTLE_MS = 200;
  var made = 0;

  function message(select, key, values) {
    var text = select.getAttribute("data-search-" + key) || "";
    Object.keys(values || {}).forEach(function (name) {
      text = text.replace("{" + name + "}", values[name]);
    });
    return text;
  }

  function enhance(select) {
    if (select.searchableSelect) {
      return;
    }
    // A page brought back from htmx's history holds the box of the page it was: make it anew.
    var stale = select.previousElementSibling;
    if (stale && stale.classList.contains("searchable-select")) {
      stale.remove();
    }
    made += 1;
    var id = (select.id || "searchable-" + made) + "-search";
    var box = document.createElement("div");
    box.className = "searchable-select";
    box.innerHTML =
      '<input type="text" class="form-control searchable-select-input" role="combobox" ' +
      'autocomplete="off" spellcheck="false" aria-autocomplete="list" aria-expanded="false">' +
      '<ul class="searchable-select-options" role="listbox" hidden></ul>' +
      '<p class="visually-hidden searchable-select-hint"></p>' +
      '<p class="visually-hidden searchable-select-status" role="status" aria-live="polite"></p>';
    var input = box.querySelector("input");
    var listbox = box.querySelector("ul");
    var hint = box.querySelector(".searchable-select-hint");
    var status = box.querySelector(".searchable-select-status");
    input.id = id;
    listbox.id = id + "-options";
    hint.id = id + "-hint";
    input.setAttribute("aria-label", select.getAttribute("data-search-label"));
    input.setAttribute("placeholder", select.getAttribute("data-search-placeholder"));
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("aria-describedby", hint.id);
    listbox.setAttribute("aria-label", select.getAttribute("data-search-listbox"));
    hint.textContent = message(select, "hint");
    // htmx asks for the matches; the text travels as q (the box has no name, so it is never
    // sent with its form). Inherited attributes of the form are overridden here.
    input.setAttribute("hx-get", select.getAttribute("data-search-url"));
    input.setAttribute("hx-trigger", "input changed delay:" + SETTLE_MS + "ms");
    input.setAttribute("hx-target", "#" + listbox.id);
    input.setAttribute("hx-swap", "innerHTML");
    input.setAttribute("hx-sync", "this:replace");
    input.setAttribute("hx-push-url", "false");
    input.setAttribute("hx-indicator", "closest .searchable-select");
    select.parentNode.insertBefore(box, select);
    select.searchableSelect = {input: input, listbox: listbox, status: status};
    input.searchableSelect = select;
    listbox.searchableSelect = select;

    // Typing here is not an edit of the form: the form's own live updates don't hear it.
    ["input", "change"].forEach(function (type) {
      input.addEventListener(type, function (event) {
        event.stopPropagation();
      });
    });
    input.addEventListener("keydown", function (event) {
      keydown(select, event);
    });
    input.addEventListener("blur", function () {
      close(select);
    });
    // Pressing an option keeps the focus in the box, so its blur doesn't close the list first.
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        choose(select, option);
      }
    });
    if (window.htmx) {
      window.htmx.process(box);
    }
  }

  function options(select) {
    return Array.prototype.slice.call(select.searchableSelect.listbox.querySelectorAll("[role=option]"));
  }

  function open(select) {
    var parts = select.searchableSelect;
    if (options(select).length) {
      parts.listbox.hidden = false;
      parts.input.setAttribute("aria-expanded", "true");
    }
  }

  function close(select) {
    var parts = select.searchableSelect;
    parts.listbox.hidden = true;
    parts.input.setAttribute("aria-expanded", "false");
    activate(select, null);
  }

  function activate(select, option) {
    var parts = select.searchableSelect;
    options(select).forEach(function (each) {
      each.setAttribute("aria-selected", each === option ? "true" : "false");
      each.classList.toggle("is-active", each === option);
    });
    parts.activeValue = option ? option.getAttribute("data-value") : null;
    if (option) {
      parts.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({block: "nearest"});
    } else {
      parts.input.removeAttribute("aria-activedescendant");
    }
  }

  function move(select, step) {
    var all = options(select);
    if (!all.length) {
      return;
    }
    open(select);
    var current = all.indexOf(select.searchableSelect.listbox.querySelector(".is-active"));
    var next = current === -1 ? (step > 0 ? 0 : all.length - 1) : (current + step + all.length) % all.length;
    activate(select, all[next]);
  }

  function choose(select, option) {
    var parts = select.searchableSelect;
    var value = option.getAttribute("data-value");
    var offered = Array.prototype.some.call(select.options, function (each) {
      return each.value === value;
    });
    close(select);
    if (!offered) {
      parts.status.textContent = message(select, "none");
      return;
    }
    parts.input.value = ""; // the menu now shows the choice; the box is ready for another search
    if (select.value !== value) {
      select.value = value;
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }
    parts.status.textContent = message(select, "chosen", {label: option.getAttribute("data-label")});
  }

  function keydown(select, event) {
    var parts = select.searchableSelect;
    var active = parts.listbox.hidden ? null : parts.listbox.querySelector(".is-active");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(select, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      event.preventDefault(); // Enter in the search box picks; it never sends the form
      if (active) {
        choose(select, active);
      }
    } else if (event.key === "Escape") {
      if (!parts.listbox.hidden) {
        event.preventDefault();
        close(select);
      } else if (parts.input.value) {
        event.preventDefault();
        parts.input.value = "";
      }
    }
  }

  // The matches have arrived: number them for aria-activedescendant and say how many.
  document.addEventListener("htmx:afterSwap", function (event) {
    var select = event.detail.target && event.detail.target.searchableSelect;
    if (!select || event.detail.target !== select.searchableSelect.listbox) {
      return;
    }
    var parts = select.searchableSelect;
    var all = options(select);
    all.forEach(function (option, index) {
      option.id = parts.listbox.id + "-" + index;
    });
    // Matches that arrive while one moves through the list keep the match one was on.
    var kept = all.filter(function (option) {
      return option.getAttribute("data-value") === parts.activeValue;
    })[0];
    activate(select, kept || null);
    // Which text these matches answer (tests wait for it; people hear the count below).
    var answered = event.detail.xhr && event.detail.xhr.responseURL ?
      new URL(event.detail.xhr.responseURL).searchParams.get("q") : null;
    parts.listbox.setAttribute("data-matches-for", answered || "");
    var typed = parts.input.value.trim();
    if (all.length && document.activeElement === parts.input) {
      open(select);
    } else {
      close(select);
    }
    parts.status.textContent =
      !typed ? "" : all.length ? message(select, "found", {count: all.length}) : message(select, "none");
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var select = event.detail.elt && event.detail.elt.searchableSelect;
    if (select && event.detail.elt === select.searchableSelect.input) {
      event.detail.parameters.q = event.detail.elt.value;
    }
  });

  function enhanceWithin(root) {
    var found = root.querySelectorAll ? root.querySelectorAll("select[data-search-url]") : [];
    Array.prototype.forEach.call(found, enhance);
    if (root.matches && root.matches("select[data-search-url]")) {
      enhance(root);
    }
  }

  if (window.htmx) {
    window.htmx.onLoad(enhanceWithin);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceWithin(document);
    });
  }
})();
