/* Staff pages of the licensing side. No framework, no CDN.
 *
 * - Pickers: <input class="picker" data-picker-url="/api/customers" data-target="hidden-id">
 *   A Select2-style autocomplete. It understands the Select2 shape
 *   ({results: [{id, text}], pagination: {more}}) and the global-search shape
 *   ({results: [{id, title, subtitle}]}); the chosen id goes into the hidden input.
 * - "Select all" checkboxes: <input type="checkbox" data-select-all="ids">.
 * - "Generate" key buttons: <button data-generate-key="input-id"> (POST /api/generate-license-key
 *   with the session's CSRF token).
 * - Bulk delete confirmation on forms with data-confirm-delete.
 */
(function () {
  "use strict";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function labelOf(item) {
    if (item.text) return { text: item.text, detail: "" };
    return { text: item.title || String(item.id), detail: item.subtitle || "" };
  }

  function Picker(input) {
    this.input = input;
    this.hidden = document.getElementById(input.dataset.target);
    this.url = input.dataset.pickerUrl;
    this.page = 1;
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.request = 0;
    var host = document.createElement("span");
    host.className = "picker-host";
    input.parentNode.insertBefore(host, input);
    host.appendChild(input);
    this.menu = document.createElement("ul");
    this.menu.className = "picker-menu";
    this.menu.setAttribute("role", "listbox");
    this.menu.hidden = true;
    host.appendChild(this.menu);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.addEventListener("input", this.onInput.bind(this));
    input.addEventListener("keydown", this.onKey.bind(this));
    input.addEventListener("focus", this.onInput.bind(this));
    input.addEventListener("blur", this.close.bind(this));
  }

  Picker.prototype.onInput = function (event) {
    if (event.type === "input" && this.hidden) this.hidden.value = "";
    clearTimeout(this.timer);
    this.timer = setTimeout(this.fetch.bind(this, 1), 200);
  };

  Picker.prototype.fetch = function (page) {
    var query = this.input.value.trim();
    var isSearch = this.url.indexOf("global-search") !== -1;
    if (isSearch && query.length < 2) { this.close(); return; }
    var url = this.url + (this.url.indexOf("?") === -1 ? "?" : "&") +
      "q=" + encodeURIComponent(query) + (isSearch ? "&limit=20" : "&page=" + page);
    var ticket = ++this.request;
    var self = this;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (body) {
        if (ticket !== self.request) return;
        self.page = page;
        self.items = page > 1 ? self.items.concat(body.results || []) : (body.results || []);
        self.more = Boolean(body.pagination && body.pagination.more);
        self.render();
      })
      .catch(function () { self.close(); });
  };

  Picker.prototype.render = function () {
    var self = this;
    this.menu.innerHTML = "";
    if (!this.items.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "Nothing found";
      this.menu.appendChild(empty);
    }
    this.items.forEach(function (item, index) {
      var label = labelOf(item);
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.dataset.index = index;
      li.textContent = label.text;
      if (label.detail) {
        var small = document.createElement("small");
        small.textContent = label.detail;
        li.appendChild(small);
      }
      li.setAttribute("aria-selected", index === self.active ? "true" : "false");
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();
        self.choose(index);
      });
      self.menu.appendChild(li);
    });
    if (this.more) {
      var more = document.createElement("li");
      more.className = "more";
      more.textContent = "More…";
      more.addEventListener("mousedown", function (event) {
        event.preventDefault();
        self.fetch(self.page + 1);
      });
      this.menu.appendChild(more);
    }
    this.menu.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Picker.prototype.choose = function (index) {
    var item = this.items[index];
    if (!item) return;
    this.input.value = labelOf(item).text;
    if (this.hidden) {
      this.hidden.value = item.id;
      this.hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
    this.close();
  };

  Picker.prototype.onKey = function (event) {
    if (this.menu.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      this.active = Math.max(0, Math.min(this.items.length - 1, this.active + step));
      this.render();
    } else if (event.key === "Enter" && this.active >= 0) {
      event.preventDefault();
      this.choose(this.active);
    } else if (event.key === "Escape") {
      this.close();
    }
  };

  Picker.prototype.close = function () {
    this.menu.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
  };

  document.querySelectorAll("input.picker[data-picker-url]").forEach(function (input) {
    new Picker(input);
  });

  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      var form = box.form || document;
      form.querySelectorAll("input[type=checkbox][name='" + box.dataset.selectAll + "']")
        .forEach(function (item) { item.checked = box.checked; });
    });
  });

  document.querySelectorAll("button[data-generate-key]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.dataset.generateKey);
      fetch("/api/generate-license-key", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      })
        .then(function (response) { return response.json(); })
        .then(function (body) { if (body.license_key) target.value = body.license_key; });
    });
  });

  document.querySelectorAll("form[data-confirm-delete]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var action = form.querySelector("select[name=action]");
      if (action && action.value === "delete" &&
          !window.confirm("Delete the selected licenses with their devices and sessions?")) {
        event.preventDefault();
      }
    });
  });
})();
