/* The edit page, in place: what the server does for the page's buttons without JavaScript
 * (add, remove and move sections, tasks and calendar lines), done here without a round trip;
 * tasks dragged by their handle; what a period means, shown as it is typed; a warning before
 * leaving with unsaved changes.
 *
 * The page's structure is the form: every block carries a hidden "outline" input, and the
 * order of those inputs is the order saved. Moving a block moves its input; the numbers shown
 * are recomputed here, and by the server when it saves. No dependencies. */
(function () {
  "use strict";

  var form = document.querySelector("form.plan-editor");
  if (!form) return;

  var CN = "零一二三四五六七八九";
  var dirty = false;

  function cnNumber(n) {
    if (n < 10) return CN[n];
    if (n < 20) return "十" + (n % 10 ? CN[n % 10] : "");
    if (n < 100) return CN[Math.floor(n / 10)] + "十" + (n % 10 ? CN[n % 10] : "");
    return String(n);
  }

  function uuid4() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function fromTemplate(name) {
    var template = document.getElementById("template-" + name);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.split("__KEY__").join(uuid4()).trim();
    var block = holder.firstElementChild;
    enhance(block);
    return block;
  }

  function focusFirstField(block) {
    var field = block.querySelector("input:not([type=hidden]), textarea, select");
    if (field) field.focus();
  }

  // --- Numbers as they will be saved -----------------------------------------------------------

  function renumber() {
    var format = form.getAttribute("data-task-label") || "#";
    var tasks = form.querySelectorAll(".edit-task");
    for (var i = 0; i < tasks.length; i++) {
      var number = tasks[i].querySelector("[data-number]");
      if (number) number.textContent = format.replace("#", String(i + 1));
    }
    var top = 0, sub = 0;
    var sections = form.querySelectorAll(".edit-section[data-kind=section]");
    for (var j = 0; j < sections.length; j++) {
      var level = sections[j].querySelector("select[name$='-level']");
      var label = sections[j].querySelector("[data-label]");
      if (level && level.value === "2") {
        sub += 1;
        if (label) label.textContent = "（" + cnNumber(sub) + "）";
      } else {
        top += 1;
        sub = 0;
        if (label) label.textContent = cnNumber(top) + "、";
      }
    }
  }

  // --- The buttons ---------------------------------------------------------------------------------

  function taskLists() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-tasks]"));
  }

  function owner(button, kind) {
    var node = button.closest("[data-kind=" + kind + "]");
    return node;
  }

  function moveTask(task, step) {
    var sibling = step < 0 ? task.previousElementSibling : task.nextElementSibling;
    if (sibling) {
      if (step < 0) sibling.before(task); else sibling.after(task);
      return;
    }
    // At the edge of its section: into the neighbouring section's list.
    var lists = taskLists();
    var index = lists.indexOf(task.parentElement) + step;
    if (index < 0 || index >= lists.length) return;
    if (step < 0) lists[index].appendChild(task); else lists[index].insertBefore(task, lists[index].firstChild);
  }

  function moveSibling(node, step, selector) {
    var sibling = step < 0 ? node.previousElementSibling : node.nextElementSibling;
    while (sibling && selector && !sibling.matches(selector)) {
      sibling = step < 0 ? sibling.previousElementSibling : sibling.nextElementSibling;
    }
    if (!sibling) return;
    if (step < 0) sibling.before(node); else sibling.after(node);
  }

  var actions = {
    "task-up": function (button) { moveTask(owner(button, "task"), -1); },
    "task-down": function (button) { moveTask(owner(button, "task"), 1); },
    "task-after": function (button) {
      var block = fromTemplate("task");
      owner(button, "task").after(block);
      return block;
    },
    "task-remove": function (button) {
      var task = owner(button, "task");
      var next = task.nextElementSibling || task.previousElementSibling;
      task.remove();
      return next ? { focus: next.querySelector("button[name=op]") } : null;
    },
    "task-add": function (button) {
      var section = button.closest("[data-kind=section], [data-kind=lead]");
      var block = fromTemplate("task");
      section.querySelector("[data-tasks]").appendChild(block);
      return block;
    },
    "entry-add": function (button) {
      var block = fromTemplate("entry");
      var list = button.closest("fieldset, section").querySelector("[data-entries]");
      list.appendChild(block);
      return block;
    },
    "annex-add": function (button) {
      var block = fromTemplate("entry");
      button.closest("section").querySelector("[data-entries]").appendChild(block);
      return block;
    },
    "entry-up": function (button) { moveSibling(owner(button, "entry"), -1); },
    "entry-down": function (button) { moveSibling(owner(button, "entry"), 1); },
    "entry-remove": function (button) {
      var entry = owner(button, "entry");
      var list = entry.parentElement;
      entry.remove();
      return { focus: list.parentElement.querySelector("button[value^='entry-add'], button[value='annex-add']") };
    },
    "section-add": function (button) {
      var block = fromTemplate("section");
      button.closest(".edit-outline__add").before(block);
      return block;
    },
    "section-up": function (button) { moveSibling(owner(button, "section"), -1, "[data-kind=section]"); },
    "section-down": function (button) { moveSibling(owner(button, "section"), 1, "[data-kind=section]"); },
    "section-remove": function (button) {
      // Its tasks stay: they join the section before it.
      var section = owner(button, "section");
      var lists = taskLists();
      var target = lists[lists.indexOf(section.querySelector("[data-tasks]")) - 1];
      var tasks = section.querySelectorAll(":scope > [data-tasks] > .edit-task");
      for (var i = 0; i < tasks.length; i++) target.appendChild(tasks[i]);
      section.remove();
      return { focus: target.closest("[data-kind]").querySelector("input:not([type=hidden]), textarea, button") };
    }
  };

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=op]");
    if (!button) return;
    var action = button.value.split(":")[0];
    if (!actions[action]) return; // save and check go to the server
    event.preventDefault();
    var result = actions[action](button);
    dirty = true;
    renumber();
    if (result && result.nodeType === 1) {
      focusFirstField(result);
    } else if (result && result.focus) {
      result.focus.focus();
    } else {
      button.focus();
    }
  });

  form.addEventListener("change", function (event) {
    if (event.target.matches("select[name$='-level']")) renumber();
  });
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- What a period means, as it is typed ---------------------------------------------------------

  var periodUrl = form.getAttribute("data-period-url");

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  var explain = debounce(function (input) {
    var output = document.getElementById(input.id + "_reading");
    if (!output || !periodUrl) return;
    var text = input.value.trim();
    if (!text) {
      output.textContent = "";
      output.classList.remove("period-reading--unknown");
      return;
    }
    fetch(periodUrl + "?q=" + encodeURIComponent(text), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || input.value.trim() !== text) return;
        output.textContent = data.ok ? data.summary : data.error;
        output.classList.toggle("period-reading--unknown", !data.ok);
      })
      .catch(function () {});
  }, 250);

  form.addEventListener("input", function (event) {
    if (event.target.matches("input[data-period]")) explain(event.target);
  });

  // --- Dragging tasks by their handle -----------------------------------------------------------------

  var dragged = null;

  function enhance(root) {
    var handles = root.querySelectorAll(".drag-handle");
    for (var i = 0; i < handles.length; i++) {
      handles[i].hidden = false;
      handles[i].setAttribute("title", form.getAttribute("data-drag-hint") || "");
    }
    if (window.suggestAttach) {
      var inputs = root.querySelectorAll("input[data-suggest]");
      for (var j = 0; j < inputs.length; j++) window.suggestAttach(inputs[j]);
    }
  }

  form.addEventListener("mousedown", function (event) {
    var handle = event.target.closest(".drag-handle");
    if (handle) handle.closest(".edit-task").setAttribute("draggable", "true");
  });
  form.addEventListener("dragstart", function (event) {
    var task = event.target.closest && event.target.closest(".edit-task");
    if (!task || task.getAttribute("draggable") !== "true") return;
    dragged = task;
    task.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "");
  });
  form.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var target = event.target.closest(".edit-task, [data-tasks]");
    if (!target || target === dragged || dragged.contains(target)) return;
    event.preventDefault();
    if (target.matches("[data-tasks]")) {
      if (!target.querySelector(".edit-task")) target.appendChild(dragged);
      return;
    }
    var box = target.getBoundingClientRect();
    if (event.clientY < box.top + box.height / 2) target.before(dragged); else target.after(dragged);
  });
  form.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("is-dragging");
    dragged.removeAttribute("draggable");
    dragged = null;
    dirty = true;
    renumber();
  });

  // A field that focus leaves partly under the sticky save bar (a tall text area the browser
  // counts as visible already) is scrolled clear of it; scroll-padding in app.css covers the rest.
  var bar = form.querySelector(".editor-actions--bottom");
  form.addEventListener("focusin", function (event) {
    if (!bar || bar.contains(event.target)) return;
    var box = event.target.getBoundingClientRect(), top = bar.getBoundingClientRect().top;
    if (box.bottom > top) window.scrollBy(0, Math.min(box.bottom - top + 8, Math.max(box.top - 16, 0)));
  });

  // After a refused save the error summary is where reading starts (autofocus does it without
  // a script; a browser that ignores autofocus on a div gets it here).
  var summary = document.getElementById("error-summary");
  if (summary && document.activeElement === document.body) summary.focus();

  enhance(form);
})();
