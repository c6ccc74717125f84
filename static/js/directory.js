// Progressive enhancement for the offer directory. Without JavaScript every
// form submits normally; with it, filter changes update the results in place
// (the server renders the same fragment) and the address stays shareable.
(function () {
  "use strict";

  function queryOf(form) {
    // Leave out empty fields and a sort order that is the default anyway,
    // so the shared address says only what the family chose.
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      var control = form.elements[name];
      var option = control && control.selectedOptions && control.selectedOptions[0];
      if (option && option.hasAttribute("data-default")) return;
      if (String(value).trim() !== "") params.append(name, value);
    });
    var query = params.toString();
    return query ? "?" + query : "";
  }

  function announce(text) {
    var status = document.getElementById("directory-status");
    if (status) status.textContent = text;
  }

  function openFiltersOnWideScreens() {
    var filters = document.getElementById("filters");
    if (filters && window.matchMedia("(min-width: 60rem)").matches) filters.open = true;
  }

  // Only the newest request may update the page: a family that changes two
  // filters quickly must see the results of the address shown, not of
  // whichever answer arrives last.
  var pending = null;

  function load(url, push) {
    var directory = document.getElementById("directory");
    var focusedId = document.activeElement && document.activeElement.id;
    var filters = document.getElementById("filters");
    var filtersOpen = filters && filters.open;
    if (pending) pending.abort();
    var controller = new AbortController();
    pending = controller;
    if (push) window.history.pushState({ directory: true }, "", url);
    directory.setAttribute("aria-busy", "true");
    return fetch(url, { headers: { "X-Partial": "1" }, credentials: "same-origin", signal: controller.signal })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var wrapper = document.createElement("div");
        wrapper.innerHTML = html;
        var fresh = wrapper.querySelector("#directory");
        document.getElementById("directory").replaceWith(fresh);
        if (pending === controller) pending = null;
        var freshFilters = document.getElementById("filters");
        if (freshFilters && filtersOpen) freshFilters.open = true;
        openFiltersOnWideScreens();
        bind();
        var again = focusedId && document.getElementById(focusedId);
        if (again) again.focus();
        var heading = document.getElementById("results-heading");
        if (heading) announce(heading.textContent.trim());
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return; // a newer request took over
        window.location.assign(url); // let the browser show whatever the server says
      });
  }

  function bind() {
    var form = document.getElementById("filter-form");
    if (!form) return;
    var path = form.getAttribute("action");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      load(path + queryOf(form), true);
    });
    form.querySelectorAll("[data-autosubmit]").forEach(function (control) {
      control.addEventListener("change", function () {
        load(path + queryOf(form), true);
      });
    });
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  if (document.getElementById("directory")) {
    openFiltersOnWideScreens();
    bind();
    window.addEventListener("popstate", function () {
      load(window.location.pathname + window.location.search, false);
    });
  }
})();
