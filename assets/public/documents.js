// Cartable — documents, progressive enhancement of the upload form (#televersement).
// Without this file the form works: choose files, "Envoyer". With it: files can be dropped on
// the form, and the upload (dropped or chosen) goes through XMLHttpRequest with the same
// multipart fields and URL (its CSRF token is in the action URL), showing its progress; the
// server answers JSON (Accept: application/json): where to go next, or why it refused.
(function () {
  "use strict";
  var form = document.getElementById("televersement");
  if (!form || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector(".zone-depot");
  var status = document.getElementById("etat-envoi");
  var button = form.querySelector("button[type=submit]");
  if (!input || !zone || !status) {
    return;
  }
  var hint = document.createElement("p");
  hint.className = "aide";
  hint.textContent = form.dataset.texteDeposer;
  zone.appendChild(hint);
  var progress = document.createElement("progress");
  progress.max = 100;
  progress.value = 0;
  progress.hidden = true;
  progress.setAttribute("aria-label", form.dataset.texteProgression);
  status.parentNode.insertBefore(progress, status);

  function say(text, error) {
    status.textContent = text;
    status.className = error ? "erreur-champ" : "aide";
    if (error) {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
  }

  function send(files) {
    if (!files || !files.length) {
      input.focus();
      return;
    }
    var data = new FormData();
    // The one-time key first: the same drop sent twice stores the files once.
    var key = form.querySelector('input[name="cle_formulaire"]');
    if (key) {
      data.append(key.name, key.value);
    }
    for (var i = 0; i < files.length; i++) {
      data.append(input.name, files[i], files[i].name);
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        var percent = Math.floor((event.loaded * 100) / event.total);
        progress.value = percent;
        say(form.dataset.texteProgression + " : " + percent + " %", false);
      }
    });
    xhr.addEventListener("load", function () {
      var answer = null;
      try {
        answer = JSON.parse(xhr.responseText);
      } catch (e) {
        answer = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && answer && answer.redirect) {
        window.location.assign(answer.redirect);
        return;
      }
      done();
      say(answer && answer.message ? answer.message : form.dataset.texteErreur, true);
    });
    xhr.addEventListener("error", function () {
      done();
      say(form.dataset.texteErreur, true);
    });
    progress.hidden = false;
    progress.value = 0;
    button.disabled = true;
    xhr.send(data);
  }

  function done() {
    progress.hidden = true;
    button.disabled = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.files);
  });
  zone.addEventListener("dragover", function (event) {
    event.preventDefault();
    zone.classList.add("survol");
  });
  zone.addEventListener("dragleave", function () {
    zone.classList.remove("survol");
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("survol");
    if (event.dataTransfer) {
      send(event.dataTransfer.files);
    }
  });
})();
