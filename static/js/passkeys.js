// Organizers' passkeys (WebAuthn): the ceremony behind each form marked data-passkey.
// The form asks the server for options, lets the browser make or use a passkey, and posts
// the answer as JSON; both posts carry the form's CSRF token in the X-CSRFToken header.
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i += 1) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function creationOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    return options;
  }

  function requestOptions(options) {
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    return options;
  }

  function answer(credential) {
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (credential.authenticatorAttachment) {
      json.authenticatorAttachment = credential.authenticatorAttachment;
    }
    if (response.attestationObject) {
      json.response.attestationObject = toText(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toText(response.authenticatorData);
      json.response.signature = toText(response.signature);
      if (response.userHandle) json.response.userHandle = toText(response.userHandle);
    }
    return json;
  }

  function post(url, token, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(
        function (data) { return { ok: response.ok, data: data }; },
        function () { return { ok: false, data: {} }; }
      );
    });
  }

  var STOPPED = "The passkey request was cancelled or timed out. Try again when ready.";
  var FAILED = "Something went wrong. Reload the page and try again.";
  var ELSEWHERE = "Your browser refused to use a passkey here: this page is not at this " +
    "site's own address. Sign in only at the address your organization gave you.";

  function say(form, message) {
    var box = form.querySelector("[data-passkey-status]");
    box.textContent = message;
    box.hidden = false;
    box.focus();
  }

  function run(form) {
    var kind = form.getAttribute("data-passkey");
    var token = form.getAttribute("data-csrf");
    var next = form.querySelector("input[name=next]");
    var name = form.querySelector("input[name=name]");
    if (name && !name.value.trim()) {
      say(form, "Give the passkey a name, such as the device it is on.");
      name.focus();
      return Promise.resolve();
    }
    return post(form.getAttribute("data-options"), token, {}).then(function (options) {
      if (!options.ok) throw new Error(options.data.error || FAILED);
      var made = kind === "register"
        ? navigator.credentials.create({ publicKey: creationOptions(options.data) })
        : navigator.credentials.get({ publicKey: requestOptions(options.data) });
      return made.then(function (credential) {
        var body = { credential: answer(credential) };
        if (name) body.name = name.value;
        if (next) body.next = next.value;
        return post(form.action, token, body);
      }, function (error) {
        var name = error && error.name;
        throw new Error(name === "NotAllowedError" ? STOPPED : name === "SecurityError" ? ELSEWHERE : FAILED);
      });
    }).then(function (result) {
      if (!result.ok) throw new Error(result.data.error || FAILED);
      window.location.assign(result.data.redirect);
    }).catch(function (error) {
      say(form, error.message || FAILED);
    });
  }

  if (!window.PublicKeyCredential || !navigator.credentials) return;
  document.querySelectorAll("[data-passkey-nojs]").forEach(function (note) {
    note.hidden = true;
  });
  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      run(form).then(function () { button.disabled = false; });
    });
  });
})();
