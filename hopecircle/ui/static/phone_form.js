// The phone's reflection or next-step form, posted over plain HTTP (see hopecircle/ui/phone_form.py
// and hopecircle/ui/phone_api.py).
//
// The answer's sentence shows at once under the button ("Thank you. It's on the board."). Only
// when the words may signal risk, or the phone's list of what it shared is open (`data.redraw`),
// does the form ask for a redraw of the room screen ("sent"): the support message and the crisis
// lines, or the list with the new words.
// Participants' words only ever go into a field's value or a text node, never into HTML.
// A draft is kept in this tab's sessionStorage until it is sent, so a reload or a redraw that
// mounts the form anew loses nothing (kept by form and by the start of this phone's token: a
// tab that later joins another session does not get the words meant for this one).
// A tap while a send is on its way does nothing (a double tap sends once; the server also
// stores the same words from one phone once).
const DRAFTS = "hc-draft:";

export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  if (!data) {
    return undefined;
  }
  let form = parentElement.querySelector("form.hc-form");
  if (form && form.dataset.lang !== data.lang) {
    const typed = values(form);
    form.remove(); // the language changed: every label anew, the words kept
    form = build(data, setTriggerValue);
    fill(form, typed);
    parentElement.appendChild(form);
  } else if (!form) {
    form = build(data, setTriggerValue);
    fill(form, draft(draftKey(data)));
    parentElement.appendChild(form);
  }
  form.hcData = data; // a send reads the newest data (its labels, where to post)
  return undefined;
}

function parsed(text, fallback) {
  try {
    const value = typeof text === "string" ? JSON.parse(text) : text;
    return value === null || value === undefined ? fallback : value;
  } catch (error) {
    return fallback;
  }
}

function build(data, setTriggerValue) {
  const form = document.createElement("form");
  form.className = "hc-form";
  form.noValidate = true;
  form.dataset.lang = data.lang || "";
  for (const field of parsed(data.fields, [])) {
    const id = `hc-${data.form}-${field.name}`;
    const wrap = document.createElement("div");
    wrap.className = "hc-field";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = field.label || "";
    const input = document.createElement(field.multiline ? "textarea" : "input");
    if (!field.multiline) {
      input.type = "text";
    } else {
      input.rows = 4;
    }
    input.id = id;
    input.name = field.name;
    input.autocomplete = "off";
    input.placeholder = field.placeholder || "";
    input.value = field.value || "";
    input.addEventListener("input", () => keepDraft(draftKey(form.hcData), form));
    wrap.append(label, input);
    form.append(wrap);
  }
  const choice = parsed(data.choice, null);
  if (choice && Array.isArray(choice.options)) {
    form.append(choices(data.form, choice, form));
  }
  const button = document.createElement("button");
  button.type = "submit";
  button.className = "hc-submit";
  button.textContent = data.submit || "";
  const status = document.createElement("p");
  status.className = "hc-status";
  status.setAttribute("role", "status");
  const alert = document.createElement("p");
  alert.className = "hc-alert";
  alert.setAttribute("role", "alert");
  form.append(button, status, alert);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(form, setTriggerValue);
  });
  return form;
}

// One choice at most, or none: toggle buttons in a labelled group (a second tap takes it back).
function choices(formName, choice, form) {
  const group = document.createElement("div");
  group.className = "hc-choices";
  group.setAttribute("role", "group");
  const legend = document.createElement("div");
  legend.className = "hc-legend";
  legend.id = `hc-${formName}-${choice.name}-label`;
  legend.textContent = choice.label || "";
  group.setAttribute("aria-labelledby", legend.id);
  group.dataset.name = choice.name;
  const row = document.createElement("div");
  row.className = "hc-pills";
  for (const [value, text] of choice.options) {
    const pill = document.createElement("button");
    pill.type = "button";
    pill.className = "hc-pill";
    pill.dataset.value = value;
    pill.textContent = text;
    pill.setAttribute("aria-pressed", value === choice.value ? "true" : "false");
    pill.addEventListener("click", () => {
      const on = pill.getAttribute("aria-pressed") !== "true";
      for (const other of row.children) {
        other.setAttribute("aria-pressed", "false");
      }
      pill.setAttribute("aria-pressed", on ? "true" : "false");
      keepDraft(draftKey(form.hcData), form);
    });
    row.append(pill);
  }
  group.append(legend, row);
  return group;
}

function values(form) {
  const out = {};
  for (const input of form.querySelectorAll("input, textarea")) {
    out[input.name] = input.value;
  }
  for (const group of form.querySelectorAll(".hc-choices")) {
    const pressed = group.querySelector('.hc-pill[aria-pressed="true"]');
    out[group.dataset.name] = pressed ? pressed.dataset.value : "";
  }
  return out;
}

function fill(form, saved) {
  if (!saved) {
    return;
  }
  for (const input of form.querySelectorAll("input, textarea")) {
    if (typeof saved[input.name] === "string") {
      input.value = saved[input.name];
    }
  }
  for (const group of form.querySelectorAll(".hc-choices")) {
    if (typeof saved[group.dataset.name] === "string") {
      for (const pill of group.querySelectorAll(".hc-pill")) {
        pill.setAttribute("aria-pressed", pill.dataset.value === saved[group.dataset.name] ? "true" : "false");
      }
    }
  }
}

function draftKey(data) {
  return `${DRAFTS}${data.form}:${String(data.token || "").slice(0, 8)}`;
}

function draft(key) {
  try {
    return parsed(window.sessionStorage.getItem(key), null);
  } catch (error) {
    return null; // storage refused (a private window): the words stay in the fields all the same
  }
}

function keepDraft(key, form) {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(values(form)));
  } catch (error) {
    // as above
  }
}

function forgetDraft(key) {
  try {
    window.sessionStorage.removeItem(key);
  } catch (error) {
    // as above
  }
}

function say(form, text, kind) {
  const status = form.querySelector(".hc-status");
  const alert = form.querySelector(".hc-alert");
  status.textContent = kind === "error" ? "" : text;
  status.dataset.kind = kind;
  alert.textContent = kind === "error" ? text : "";
}

async function send(form, setTriggerValue) {
  const data = form.hcData;
  const button = form.querySelector(".hc-submit");
  if (button.getAttribute("aria-busy") === "true") {
    return; // the first tap is on its way
  }
  button.setAttribute("aria-busy", "true");
  say(form, data.sending || "", "busy");
  let status = 0;
  let answer = null;
  try {
    // The language in the address too: a post too big to read is answered in it.
    const response = await fetch(`${data.url}?lang=${encodeURIComponent(data.lang || "")}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      cache: "no-store",
      body: JSON.stringify({ token: data.token, form: data.form, fields: values(form), lang: data.lang }),
    });
    status = response.status;
    answer = await response.json().catch(() => null);
  } catch (error) {
    status = 0; // offline a moment, or the server went away: the words stay
  } finally {
    button.removeAttribute("aria-busy");
  }
  if (status === 200 && answer) {
    say(form, answer.message || "", answer.status === "held" ? "info" : "ok");
    if (data.form === "reflection") {
      for (const input of form.querySelectorAll("input, textarea")) {
        input.value = ""; // a reflection is added; the next one starts empty
      }
    } else {
      button.textContent = data.submitted || button.textContent; // a goal is kept, and updated from now on
    }
    forgetDraft(draftKey(data));
    if (answer.support === true || data.redraw === true) {
      setTriggerValue("sent", { support: answer.support === true });
    }
  } else if (answer && answer.message) {
    say(form, answer.message, "error");
    if (status === 404 || status === 409) {
      setTriggerValue("sent", { refresh: true }); // the place or the session is gone: the page says what now
    }
  } else {
    say(form, data.failed || "", "error");
  }
}
