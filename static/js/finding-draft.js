// A finding's draft kept on the phone while it is typed on site: every field (the form's
// submission key too, so that sending a restored draft again after a lost answer still makes
// one finding) is saved to localStorage as it changes and restored when the page loads again.
// The page a saved finding lands on names the draft to clear. Without this script the form is
// an ordinary form; files are never kept (a browser does not let a page set them).
(function () {
  "use strict";

  function storage() {
    try {
      var probe = "finding-draft:probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode, or storage refused: the form works as before
    }
  }

  var store = storage();
  if (!store) return;

  document.querySelectorAll("[data-draft-saved]").forEach(function (marker) {
    store.removeItem(marker.getAttribute("data-draft-saved"));
  });

  var form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  var key = form.getAttribute("data-draft-key");
  var status = form.querySelector("[data-draft-status]");

  function kept(field) {
    return field.name && field.type !== "file" && field.name !== "csrfmiddlewaretoken";
  }

  function save() {
    var draft = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) return;
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) draft[field.name] = field.value;
      } else {
        draft[field.name] = field.value;
      }
    });
    try {
      store.setItem(key, JSON.stringify(draft));
      if (status) status.hidden = false;
    } catch (error) {
      // Storage full: typing goes on, only the draft is not kept.
    }
  }

  function restore() {
    var draft;
    try {
      draft = JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      draft = null;
    }
    if (!draft) return;
    // A form the server sent back with errors holds what was sent: that wins over the draft.
    if (form.querySelector(".field-errors, .form-errors")) return;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field) || !(field.name in draft)) return;
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = draft[field.name] === field.value;
      } else {
        field.value = draft[field.name];
      }
    });
    if (status) status.hidden = false;
  }

  restore();
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();
