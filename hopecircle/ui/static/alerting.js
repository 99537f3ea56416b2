// The console's alarm (see hopecircle/ui/alerting.py): sits in the alert band, which redraws on
// every tick of the console's queue, and is given the number of open alerts each time.
//
// - The tab's title counts them ("(1) ⚠ HopeCircle") while any is open, so a facilitator looking
//   at the projector's tab sees it; Streamlit sets the title again on every page run, so a watch on
//   <title> puts the count back.
// - When the number rises, a short chime plays (the bundled file, as a data URL: nothing is fetched)
//   unless the sound is switched off here (remembered by this browser), and a screen reader hears
//   the band's headline.
// - Browsers refuse sound until the page has had a click; a refused play() is said in the console,
//   with "Test sound" (a click, so it also unlocks the sound).
const SOUND_KEY = "hc-console-sound"; // localStorage: "off" when switched off
const SEEN_KEY = "hc-console-alerts:"; // sessionStorage, per session: the count last drawn
// Kept for the page's life, whichever element draws the controls: the sound and what was said about it.
const page = { audio: null, noteKind: null };

export default function (component) {
  const { data, parentElement } = component;
  const state = parentElement.hcAlerting || setUp(parentElement);
  state.data = data || {};
  const count = Math.max(0, Number(state.data.count) || 0);
  drawControls(state);
  state.count = count;
  applyTitle(state);

  const seenKey = SEEN_KEY + String(state.data.session || "");
  const seen = Number(read(sessionStorage, seenKey) ?? 0) || 0;
  if (count > seen) {
    announce(state, state.data.announce || "");
    if (soundOn()) {
      play(state, false);
    }
  }
  write(sessionStorage, seenKey, String(count));
  return () => tearDown(parentElement, state);
}

function setUp(parentElement) {
  parentElement.querySelector(".hc-alerting")?.remove();
  const root = document.createElement("div");
  root.className = "hc-alerting";
  const sound = document.createElement("button");
  sound.type = "button";
  sound.className = "hc-sound";
  sound.setAttribute("role", "switch");
  const icon = document.createElement("span");
  icon.className = "hc-icon";
  icon.setAttribute("aria-hidden", "true");
  const label = document.createElement("span");
  label.className = "hc-label";
  const onOff = document.createElement("span");
  onOff.className = "hc-state";
  onOff.setAttribute("aria-hidden", "true");
  sound.append(icon, label, onOff);
  const test = document.createElement("button");
  test.type = "button";
  test.className = "hc-test";
  const note = document.createElement("span");
  note.className = "hc-note";
  note.setAttribute("role", "status");
  const live = document.createElement("div");
  live.className = "hc-live";
  live.setAttribute("role", "alert");
  root.append(sound, test, note, live);
  parentElement.appendChild(root);

  const state = { root, sound, test, note, live, data: {}, count: 0, applied: null, base: null };
  sound.addEventListener("click", () => {
    write(localStorage, SOUND_KEY, soundOn() ? "off" : "on");
    drawControls(state);
  });
  test.addEventListener("click", () => play(state, true));
  // Streamlit gives the tab its title on every page run: put the count back each time.
  state.observer = new MutationObserver(() => applyTitle(state));
  state.observer.observe(document.head, { subtree: true, childList: true, characterData: true });
  parentElement.hcAlerting = state;
  if (navigator.getAutoplayPolicy && navigator.getAutoplayPolicy("mediaelement") === "disallowed") {
    page.noteKind = page.noteKind || "blocked";
  }
  return state;
}

function drawControls(state) {
  const on = soundOn();
  const data = state.data;
  state.sound.setAttribute("aria-checked", on ? "true" : "false");
  state.sound.querySelector(".hc-icon").textContent = on ? "\u{1F514}" : "\u{1F515}";
  state.sound.querySelector(".hc-label").textContent = data.sound || "";
  state.sound.querySelector(".hc-state").textContent = on ? data.on || "" : data.off || "";
  state.test.textContent = data.test || "";
  say(state, page.noteKind);
}

function applyTitle(state) {
  const current = document.title;
  if (current !== state.applied) {
    state.base = current; // set by someone else (Streamlit): the title without our count
  }
  if (state.count > 0) {
    const template = state.data.title || "({count}) {title}";
    const wanted = template.replace("{count}", String(state.count)).replace("{title}", state.base);
    state.applied = wanted;
    if (current !== wanted) {
      document.title = wanted;
    }
  } else if (state.applied !== null) {
    state.applied = null;
    if (current !== state.base) {
      document.title = state.base;
    }
  }
}

function play(state, asked) {
  if (!state.data.chime) {
    return;
  }
  if (!page.audio) {
    page.audio = new Audio(state.data.chime);
  }
  page.audio.currentTime = 0;
  let started;
  try {
    started = page.audio.play();
  } catch (error) {
    say(state, "failed");
    return;
  }
  if (started && typeof started.then === "function") {
    started.then(
      () => say(state, asked ? "works" : null),
      (error) => say(state, error && error.name === "NotAllowedError" ? "blocked" : "failed"),
    );
  } else if (asked) {
    say(state, "works");
  }
}

function say(state, kind) {
  page.noteKind = kind;
  state.note.textContent = kind ? state.data[kind] || "" : "";
  state.root.classList.toggle("hc-blocked", kind === "blocked" || kind === "failed");
}

function announce(state, text) {
  // Emptied first, so the same words are announced again for a second alert.
  state.live.textContent = "";
  setTimeout(() => {
    state.live.textContent = text;
  }, 50);
}

function tearDown(parentElement, state) {
  state.observer.disconnect();
  if (state.applied !== null && document.title === state.applied) {
    document.title = state.base;
  }
  state.applied = null;
  state.root.remove();
  if (parentElement.hcAlerting === state) {
    delete parentElement.hcAlerting;
  }
}

function soundOn() {
  return read(localStorage, SOUND_KEY) !== "off";
}

// Storage can be refused (private windows, strict settings): the console works without it.
function read(storage, key) {
  try {
    return storage.getItem(key);
  } catch (error) {
    return null;
  }
}

function write(storage, key, value) {
  try {
    storage.setItem(key, value);
  } catch (error) {
    /* remembered for this page only */
  }
}
