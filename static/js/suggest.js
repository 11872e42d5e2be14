/* Suggestions for the office and county search fields.
 *
 * Without this script each field is a plain text match; with it, typing offers the names the
 * server knows (the URL in data-suggest, ?q=…), county names with their city to tell namesakes apart.
 * A listbox under the field, driven by the arrow keys, Enter and Escape. No dependencies.
 * A field marked data-suggest-multi holds several names (管城区、金水区): suggestions are for the
 * name being typed after the last separator, and choosing one replaces it. Fields added to a
 * page later are attached with window.suggestAttach(input). */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  var SEPARATORS = /[\s,，、;；]+/;

  function attach(input) {
    if (input.getAttribute("data-suggest-ready")) return;
    input.setAttribute("data-suggest-ready", "1");
    var multi = input.hasAttribute("data-suggest-multi");
    var url = input.getAttribute("data-suggest");
    var list = document.createElement("ul");
    var listId = input.id + "-suggestions";
    var active = -1;
    var items = [];
    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function currentTerm() {
      if (!multi) return input.value.trim();
      var parts = input.value.split(SEPARATORS);
      return parts[parts.length - 1].trim();
    }

    function choose(index) {
      if (index < 0 || index >= items.length) return;
      if (multi) {
        var value = input.value;
        var match = value.match(/[^\s,，、;；]*$/);
        input.value = value.slice(0, value.length - match[0].length) + items[index] + "、";
      } else {
        input.value = items[index];
      }
      close();
    }

    function highlight(index) {
      var nodes = list.children;
      for (var i = 0; i < nodes.length; i++) {
        nodes[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", listId + "-" + index);
    }

    function show(results) {
      items = results;
      list.textContent = "";
      results.forEach(function (text, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.textContent = text;
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }

    var fetchSuggestions = debounce(function (term) {
      if (!term) { show([]); return; }
      fetch(url + "?q=" + encodeURIComponent(term), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (currentTerm() === term) show(data.results || []); })
        .catch(function () { show([]); });
    }, 150);

    input.addEventListener("input", function () { fetchSuggestions(currentTerm()); });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  window.suggestAttach = attach;

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[data-suggest]");
    for (var i = 0; i < inputs.length; i++) attach(inputs[i]);
  });
})();
