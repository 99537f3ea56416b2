// Hands-free control of the room from a keyboard or a presenter remote, on the console and the
// projector windows (see hopecircle/ui/hands_free.py).
//
// Right, Page Down and Space: next; Left and Page Up: back (USB presenter remotes send Page
// Down and Page Up); B: blank screen; Q: big join QR; those move the room, so they go to the
// page's script ("key"), which asks the services. F (full screen), P (pause the board's pages)
// and ? (this list) stay in the browser. Nothing fires while the person types in a field, or
// from a key held down. A window with nobody signed in to the session moves nothing, and says so.
const ROOM_KEYS = {
  ArrowRight: "next",
  PageDown: "next",
  " ": "next",
  ArrowLeft: "back",
  PageUp: "back",
  b: "blank",
  B: "blank",
  q: "join",
  Q: "join",
};
const NOTICE_SECONDS = 6;
const REPORT_AFTER = 300; // ms after the window stops changing size
const PAUSE_EVENT = "hc-projector-pause";
// Where keys belong to the control that has the focus.
const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);
const OWN_KEYS_ROLES = new Set(["textbox", "combobox", "slider", "spinbutton", "listbox", "option", "menuitem", "radio", "tab", "grid", "tree", "searchbox"]);
const PRESSABLE = new Set(["BUTTON", "A", "SUMMARY"]);

export default function (component) {
  const { data, parentElement, setTriggerValue, setStateValue } = component;
  const settings = parsed(data && data.settings);
  settings.labels = settings.labels || {};
  const parts = draw(parentElement, settings);
  if (window.hcHandsFreeStop) {
    window.hcHandsFreeStop(); // one listener per page: the newest drawing's
  }
  let channel = null;
  const roomChannel = () => {
    if (!channel && settings.room && "BroadcastChannel" in window) {
      channel = new BroadcastChannel(settings.room);
    }
    return channel;
  };
  const onKey = (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || ownsKeys(event)) {
      return;
    }
    if (event.key === "?") {
      event.preventDefault();
      open(parts);
      return;
    }
    if (event.shiftKey) {
      return;
    }
    const action = ROOM_KEYS[event.key];
    if (action) {
      event.preventDefault(); // Space and Page Down would scroll the page
      if (event.repeat) {
        return; // a key held down moves the room once
      }
      if (settings.control) {
        setTriggerValue("key", { action });
      } else {
        notice(parts, settings.labels.signed_out);
      }
    } else if (event.key === "f" || event.key === "F") {
      event.preventDefault();
      fullScreen();
    } else if (event.key === "p" || event.key === "P") {
      event.preventDefault();
      if (settings.where === "projector") {
        window.dispatchEvent(new CustomEvent(PAUSE_EVENT));
      } else if (roomChannel()) {
        roomChannel().postMessage({ action: "pause" }); // the projector window(s) of this browser
      }
    }
  };
  document.addEventListener("keydown", onKey);

  let resizing = null;
  const report = () => {
    const size = [window.innerWidth, window.innerHeight];
    const known = settings.viewport || [];
    if (settings.report && (size[0] !== known[0] || size[1] !== known[1])) {
      setStateValue("viewport", size);
    }
  };
  const onResize = () => {
    clearTimeout(resizing);
    resizing = setTimeout(report, REPORT_AFTER);
  };
  window.addEventListener("resize", onResize);
  report();
  if (settings.notice) {
    notice(parts, settings.notice);
  }

  const stop = () => {
    document.removeEventListener("keydown", onKey);
    window.removeEventListener("resize", onResize);
    clearTimeout(resizing);
    if (channel) {
      channel.close();
    }
    if (window.hcHandsFreeStop === stop) {
      delete window.hcHandsFreeStop;
    }
  };
  window.hcHandsFreeStop = stop;
  return stop;
}

function parsed(text) {
  try {
    const settings = JSON.parse(text || "{}");
    return settings && typeof settings === "object" ? settings : {};
  } catch (error) {
    return {};
  }
}

// Keys typed into a field, or moving inside a list, slider or menu, are that control's; Space
// and Enter on a button press the button.
function ownsKeys(event) {
  const target = event.composedPath ? event.composedPath()[0] : event.target;
  if (!target || !target.tagName) {
    return false;
  }
  if (TYPING.has(target.tagName) || target.isContentEditable) {
    return true;
  }
  const role = target.getAttribute && target.getAttribute("role");
  if (role && OWN_KEYS_ROLES.has(role)) {
    return true;
  }
  const pressing = event.key === " " || event.key === "Enter";
  return pressing && (PRESSABLE.has(target.tagName) || role === "button" || role === "checkbox" || role === "switch");
}

function fullScreen() {
  if (document.fullscreenElement) {
    document.exitFullscreen().catch(() => {});
  } else if (document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(() => {});
  }
}

// The help overlay (a modal dialog: it takes the focus, Escape closes it), the console's button
// that opens it, and a line for notices. Drawn once; its words set again on every drawing.
function draw(root, settings) {
  let parts = root.hcParts;
  if (!parts) {
    const opener = document.createElement("button");
    opener.type = "button";
    opener.className = "hc-help-open";
    const dialog = document.createElement("dialog");
    dialog.className = "hc-help";
    const title = document.createElement("h2");
    title.id = "hc-help-title";
    dialog.setAttribute("aria-labelledby", title.id);
    const list = document.createElement("dl");
    const note = document.createElement("p");
    note.className = "hc-help-note";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "hc-help-close";
    close.addEventListener("click", () => dialog.close());
    dialog.append(title, list, note, close);
    const status = document.createElement("p");
    status.className = "hc-notice";
    status.setAttribute("role", "status");
    root.append(opener, dialog, status);
    parts = root.hcParts = { opener, dialog, title, list, note, close, status };
    opener.addEventListener("click", () => open(parts));
    dialog.addEventListener("close", () => {
      if (parts.returnTo && parts.returnTo.isConnected) {
        parts.returnTo.focus();
      }
    });
  }
  const labels = settings.labels || {};
  parts.opener.textContent = labels.open || "?";
  parts.opener.hidden = settings.where !== "console";
  parts.dialog.dataset.where = settings.where || "";
  parts.status.dataset.where = settings.where || "";
  parts.title.textContent = labels.title || "";
  parts.close.textContent = labels.close || "";
  parts.note.textContent = settings.control ? "" : labels.signed_out || "";
  parts.note.hidden = Boolean(settings.control);
  parts.list.replaceChildren(
    ...(settings.shortcuts || []).flatMap(([keys, meaning]) => {
      const term = document.createElement("dt");
      term.textContent = keys;
      const description = document.createElement("dd");
      description.textContent = meaning;
      return [term, description];
    }),
  );
  return parts;
}

function open(parts) {
  if (parts.dialog.open) {
    return;
  }
  const active = document.activeElement;
  parts.returnTo = active && active !== document.body ? active : null;
  parts.dialog.showModal();
  parts.close.focus();
}

function notice(parts, text) {
  if (!text) {
    return;
  }
  parts.status.textContent = text;
  clearTimeout(parts.hideNotice);
  parts.hideNotice = setTimeout(() => {
    parts.status.textContent = "";
  }, NOTICE_SECONDS * 1000);
}
