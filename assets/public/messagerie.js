// Cartable — messaging, progressive enhancement of the compose form (/messagerie/nouveau).
// Without this file the form works: "Chercher" shows the people found, "Enregistrer le
// brouillon" saves. With it: suggestions appear as one types (GET /api/v1/messagerie/suggestions),
// ticking one adds it to the recipients, and the draft is saved every 20 seconds.
// The recipients' lists (staff): a filter box above the folded groups, hiding the lists whose
// name does not match (typed without accents or case) and opening the groups that hold a match;
// each group's summary says how many of its lists are ticked. Without this script the groups
// are plain <details> with their checkboxes, and the form is the same.
(function () {
  "use strict";
  var lists = document.getElementById("listes");
  if (!lists || !lists.querySelector) {
    return;
  }
  var groups = lists.querySelectorAll("details.groupe-listes");
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function counted(n) {
    var d = lists.dataset;
    return n === 0 ? d.choisiesAucune : n === 1 ? d.choisiesUne : d.choisiesN.replace("#", String(n));
  }
  function recount(group) {
    var n = group.querySelectorAll("input[name=listes]:checked").length;
    var span = group.querySelector(".choisies");
    if (span) {
      span.textContent = counted(n);
    }
  }
  lists.addEventListener("change", function (event) {
    var group = event.target.closest && event.target.closest("details.groupe-listes");
    if (group) {
      recount(group);
    }
  });

  // The filter is for long lists: one class's three lists need none.
  if (lists.querySelectorAll("input[name=listes]").length <= 3) {
    return;
  }
  var field = document.createElement("div");
  field.className = "champ filtre-listes";
  var label = document.createElement("label");
  label.htmlFor = "filtre-listes";
  label.textContent = lists.dataset.texteFiltre;
  var input = document.createElement("input");
  input.type = "search";
  input.id = "filtre-listes";
  input.autocomplete = "off";
  input.setAttribute("aria-describedby", "filtre-listes-aide");
  input.setAttribute("aria-controls", "listes");
  var help = document.createElement("p");
  help.className = "aide";
  help.id = "filtre-listes-aide";
  help.textContent = lists.dataset.texteFiltreAide;
  var none = document.createElement("p");
  none.className = "aide";
  none.setAttribute("role", "status");
  field.appendChild(label);
  field.appendChild(input);
  field.appendChild(help);
  field.appendChild(none);
  var first = lists.querySelector("details");
  lists.insertBefore(field, first);

  var opened = [];
  for (var g = 0; g < groups.length; g++) {
    opened.push(groups[g].open);
  }
  function filter() {
    var q = fold(input.value);
    var any = false;
    for (var i = 0; i < groups.length; i++) {
      var cases = groups[i].querySelectorAll(".case");
      var shown = 0;
      for (var j = 0; j < cases.length; j++) {
        var match = !q || fold(cases[j].textContent).indexOf(q) !== -1;
        cases[j].hidden = !match;
        shown += match ? 1 : 0;
      }
      groups[i].hidden = shown === 0;
      groups[i].open = q ? shown > 0 : opened[i];
      any = any || shown > 0;
    }
    none.textContent = any ? "" : lists.dataset.texteAucune;
  }
  input.addEventListener("input", filter);
  // Enter in the filter must not send the message.
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
    }
  });
})();

(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var search = document.getElementById("recherche");
  var box = document.getElementById("suggestions");
  var chosen = document.getElementById("choisis");
  var none = document.getElementById("aucun-choisi");
  var draft = document.getElementById("brouillon");
  var status = document.getElementById("etat-brouillon");

  function chosenIds() {
    var ids = {};
    var boxes = chosen.querySelectorAll("input[name=destinataires]");
    for (var i = 0; i < boxes.length; i++) {
      ids[boxes[i].value] = true;
    }
    return ids;
  }

  function item(prefix, person, checked) {
    var li = document.createElement("li");
    var input = document.createElement("input");
    input.type = "checkbox";
    input.name = "destinataires";
    input.value = String(person.id);
    input.id = prefix + person.id;
    input.checked = checked;
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.appendChild(document.createTextNode(person.name + " "));
    if (person.roles && person.roles.length) {
      var roles = document.createElement("span");
      roles.className = "aide";
      roles.textContent = "(" + person.roles.join(", ") + ")";
      label.appendChild(roles);
    }
    li.appendChild(input);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(label);
    return li;
  }

  // A ticked suggestion moves to the recipients (so that the next search keeps it).
  box.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name !== "destinataires" || !input.checked) {
      return;
    }
    var li = input.closest("li");
    if (chosenIds()[input.value]) {
      li.parentNode.removeChild(li);
      return;
    }
    input.id = "d-" + input.value;
    li.querySelector("label").htmlFor = input.id;
    chosen.appendChild(li);
    if (none) {
      none.hidden = true;
    }
    search.value = "";
    search.focus();
  });

  function show(list) {
    box.textContent = "";
    var taken = chosenIds();
    var fresh = list.filter(function (p) {
      return !taken[String(p.id)];
    });
    var p = document.createElement("p");
    p.textContent = fresh.length ? form.dataset.texteCocher : form.dataset.texteAucun;
    box.appendChild(p);
    if (!fresh.length) {
      return;
    }
    var ul = document.createElement("ul");
    fresh.forEach(function (person) {
      ul.appendChild(item("s-", person, false));
    });
    box.appendChild(ul);
  }

  var timer = null;
  var asked = 0;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    var q = search.value.trim();
    if (q.length < 2) {
      box.textContent = "";
      return;
    }
    timer = setTimeout(function () {
      var mine = ++asked;
      fetch(form.dataset.suggestions + "?q=" + encodeURIComponent(q), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (r) {
          return r.ok ? r.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (mine === asked) {
            show(data.suggestions || []);
          }
        })
        .catch(function () {});
    }, 250);
  });
  // Enter in the search field searches (as the "Chercher" button does) without leaving.
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      search.dispatchEvent(new Event("input"));
    }
  });

  // Autosave: every 20 seconds, if something changed and there is something to keep.
  function snapshot() {
    var data = new FormData(form);
    data.delete("pieces_jointes");
    data.delete("recherche");
    var parts = [];
    data.forEach(function (value, key) {
      if (key !== "brouillon") {
        parts.push(key + "=" + value);
      }
    });
    return { data: data, text: parts.join("&") };
  }
  var saved = snapshot().text;
  var sending = false;
  form.addEventListener("submit", function () {
    sending = true;
  });
  setInterval(function () {
    if (sending) {
      return;
    }
    var now = snapshot();
    var subject = document.getElementById("objet").value.trim();
    var body = document.getElementById("corps").value.trim();
    if (now.text === saved || (!subject && !body)) {
      return;
    }
    now.data.set("action", "brouillon");
    fetch(form.action, {
      method: "POST",
      body: now.data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (r) {
        return r.json().then(function (json) {
          return { ok: r.ok, json: json };
        });
      })
      .then(function (answer) {
        if (answer.ok && answer.json.brouillon) {
          draft.value = String(answer.json.brouillon);
          saved = now.text;
          status.textContent = answer.json.message || "";
        } else {
          status.textContent = (answer.json && answer.json.message) || form.dataset.texteErreur;
        }
      })
      .catch(function () {
        status.textContent = form.dataset.texteErreur;
      });
  }, 20000);
})();
