// The phone's room screen (see hopecircle/ui/phone_room.py): consent, then every phase's screen,
// drawn here from the room's state, with every word and tap posted over plain HTTP.
//
// Served by serve.py, a phase change costs the server one answer per phone: this asks
// `POST /api/phone/room` with the signature of the state it shows (`seen`); the server holds the
// question until the room differs for this phone, then answers the new state (the room's part,
// shared by every phone of the room, and this phone's own), and this draws it. Nothing here ever
// starts a Streamlit run.
//
// - Words typed and not sent are kept in this tab's sessionStorage (by form and the start of the
//   phone's token) until sent: a redraw, a reload or the room moving on loses nothing.
// - A reflection or next-step form with words typed in it is not drawn away when the room moves
//   on: the screen says so and follows on a tap (Continue).
// - Words and taps go through the outbox (phone_room_outbox.js): kept on the phone, and sent by
//   themselves once the connection is back, each exactly once.
// - While the server cannot be reached, a calm line says so (in the phone's language) instead
//   of Streamlit's connection dialog, which is closed as soon as it opens on this page.
// - Joining is one post (`POST /api/phone/join`) with this tab's own join key for the room: a
//   second tap, or a retry after a lost answer, finds the same place. The address then gets the
//   phone's place (`?code=&p=&lang=`, history.replaceState), so a reload comes back to it.
// - A language is chosen by loading the page in it: the crisis bar above is the page's.
const JOINED = "hc-joined:"; // + room code: this tab's place in that room (its token)
const JOIN_KEY = "hc-join-key:"; // + room code: this tab's join key for that room
const DRAFTS = "hc-draft:";
const TAB = "hc-tab";
const ASK_SECONDS = 35; // a held question is answered within 20 s; past this the connection is dead
// After a failed question: ask again within 0.25-0.45 s (with a random part, so a room whose
// Wi-Fi comes back does not ask in step), so the phone asks the room within half a second of the
// network's return. A failed try costs the server nothing while the network is down (a try
// that hangs on a silent network waits for ASK_SECONDS instead).
const RETRY_SECONDS = [0.25, 0.3];
const RETRY_SPREAD = 0.15;

export default function (component) {
  const { data, parentElement } = component;
  if (!data) {
    return undefined;
  }
  let phone = parentElement.hcPhone;
  if (!phone) {
    phone = new Phone(parentElement);
    parentElement.hcPhone = phone;
  }
  phone.update(data);
  return () => phone.stop();
}

function parsed(text, fallback) {
  try {
    const value = typeof text === "string" && text ? JSON.parse(text) : text;
    return value === null || value === undefined || value === "" ? fallback : value;
  } catch (error) {
    return fallback;
  }
}

// This tab's own storage by default; "localStorage" for what must outlive the tab (the outbox).
function stored(key, area) {
  try {
    return window[area || "sessionStorage"].getItem(key);
  } catch (error) {
    return null; // storage refused (a private window): the phone works, it just remembers less
  }
}

function keep(key, value, area) {
  try {
    const storage = window[area || "sessionStorage"];
    if (value === null) {
      storage.removeItem(key);
    } else {
      storage.setItem(key, value);
    }
  } catch (error) {
    // as above
  }
}

function randomWord(bytes) {
  const values = new Uint8Array(bytes);
  window.crypto.getRandomValues(values);
  return Array.from(values, (value) => value.toString(16).padStart(2, "0")).join("");
}

function sleep(seconds, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, seconds * 1000);
    if (signal) {
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    }
  });
}

class Phone {
  constructor(parent) {
    this.box = h("div", { class: "hc-phone" });
    this.live = h("p", { class: "hc-hidden", role: "status", "aria-live": "polite" }); // says "Now: Reflect"
    parent.append(this.box);
    this.data = null;
    this.token = "";
    this.room = null;
    this.mine = null;
    this.signature = "";
    this.version = -1;
    this.shown = 12;
    this.counts = new Map(); // card id -> [count, added, version]: this phone's own taps, until the room catches up
    this.screen = null;
    this.screenKey = "";
    this.shownPhase = null; // the phase the screen shows (it may stay behind while words are typed)
    this.editing = null;
    this.confirming = null;
    this.stopped = false;
    this.polling = false;
    this.asking = null;
    this.fresh = false;
    this.tab = stored(TAB) || randomWord(8);
    keep(TAB, this.tab);
    this.outbox = new Outbox(this);
    this.reconnecting = h("p", { class: "hc-reconnecting", role: "status" });
    this.reconnecting.hidden = true;
    closeConnectionDialogs();
    window.addEventListener("online", () => this.wake());
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) {
        this.wake(); // back from sleep: a held question may have died with the network
      }
    });
  }

  // -- data from the page, and the room's state --------------------------------------------------

  update(data) {
    const language = this.data ? this.data.lang : null;
    this.data = data;
    this.s = parsed(data.strings, {});
    this.setup = parsed(data.setup, { limits: {}, pulse: [0, 10], emoji: [], dimensions: [], languages: [] });
    this.lines = parsed(data.lines, {}); // the support lines before the phone has the room's own
    this.stopped = false;
    if (!this.room) {
      this.shown = this.setup.page || 12;
    }
    this.outbox.load(data.code);
    this.reconnecting.textContent = this.s["phone.reconnecting"] || "";
    const remembered = stored(JOINED + data.code);
    this.token = data.token || this.token || remembered || "";
    if (data.token && data.token !== remembered) {
      keep(JOINED + data.code, data.token);
    }
    if (language !== null && language !== data.lang) {
      this.screenKey = ""; // every sentence anew in the other language
    }
    const state = parsed(data.state, null);
    if (state) {
      this.apply(state);
    }
    if (this.token) {
      this.keepAddress();
      if (!this.room) {
        this.fresh = true;
      }
      this.poll();
    }
    this.render();
    if (this.outbox.waiting()) {
      this.outbox.flush(); // words kept from before a reload, a locked screen or a drop
    }
  }

  apply(answer) {
    if (answer.mine) {
      this.mine = answer.mine;
    }
    if (!answer.room || (typeof answer.version === "number" && answer.version < this.version)) {
      return; // an older state than the one shown (answers can cross)
    }
    this.version = answer.version;
    this.signature = answer.signature || "";
    this.room = answer.room;
    for (const [id, entry] of this.counts) {
      if (entry[2] < this.version) {
        this.counts.delete(id);
      }
    }
  }

  stop() {
    this.stopped = true;
    if (this.asking) {
      this.asking.abort();
    }
  }

  // Ask again at once, without holding (back from sleep, more cards wanted).
  wake() {
    if (!this.token || this.stopped) {
      return;
    }
    this.fresh = true;
    if (this.asking) {
      this.asking.abort();
    } else {
      this.poll();
    }
  }

  async poll() {
    if (this.polling) {
      return;
    }
    this.polling = true;
    let failures = 0;
    while (!this.stopped && this.token) {
      const asking = new AbortController();
      this.asking = asking;
      const fresh = this.fresh || !this.signature;
      this.fresh = false;
      const body = this.body({ code: this.data.code, proof: this.data.proof, tab: this.tab, shown: this.shown });
      if (!fresh) {
        body.seen = this.signature;
      }
      const timer = setTimeout(() => asking.abort(), ASK_SECONDS * 1000);
      const { status, answer } = await this.post("room", body, asking.signal);
      clearTimeout(timer);
      this.asking = null;
      if (this.stopped) {
        break;
      }
      if (status === 200 && answer) {
        failures = 0;
        this.offline(false);
        if (answer.room) {
          this.apply(answer);
          this.render();
        }
        if (this.outbox.waiting()) {
          this.outbox.flush(); // the server is reachable again: what waited goes now
        }
        continue; // unchanged after the hold: ask again now
      }
      if (status === 404) {
        this.lost();
        break;
      }
      if (status === 0 && asking.signal.aborted && this.fresh) {
        continue; // woken on purpose
      }
      failures += 1;
      if (status === 0 || status >= 500) {
        this.offline(true);
      }
      const pause = new AbortController();
      this.asking = pause;
      const wait = RETRY_SECONDS[Math.min(failures, RETRY_SECONDS.length) - 1] + Math.random() * RETRY_SPREAD;
      await sleep(wait, pause.signal);
      this.asking = null;
    }
    this.polling = false;
  }

  showMore() {
    this.shown += this.setup.page || 12;
    this.wake();
  }

  // -- posting ----------------------------------------------------------------------------------

  body(fields) {
    return { token: this.token, lang: this.data.lang, ...fields };
  }

  // {status, answer}: status 0 when nothing came back (offline a moment, stopped).
  async post(name, body, signal) {
    const url = `${this.setup.urls[name]}?lang=${encodeURIComponent(this.data.lang || "")}`;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        cache: "no-store",
        body: JSON.stringify(body),
        signal,
      });
      const answer = await response.json().catch(() => null);
      return { status: response.status, answer };
    } catch (error) {
      return { status: 0, answer: null };
    }
  }

  // The sentence for a refused post; a lost place or an ended session also changes the screen.
  refused(status, answer) {
    if (status === 404 && answer && answer.error === "error.unknown_participant") {
      setTimeout(() => this.lost(), 0);
    } else if (status === 409) {
      this.wake(); // the session ended: the screen says so
    }
    return (answer && answer.message) || this.s["phone.send_failed"];
  }

  // A post changed this phone's own part: its answer brings it (and the support message after
  // words that may signal risk).
  written(answer) {
    if (answer.support === true) {
      keep(this.mark("support"), "1");
    }
    if (answer.mine) {
      this.mine = answer.mine;
    }
    this.render();
  }

  say(text) {
    this.live.textContent = text;
  }

  async meToo(id, button, alert) {
    if (button.getAttribute("aria-busy") === "true") {
      return; // the first tap is on its way: a double tap counts once
    }
    const on = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-busy", "true");
    alert.textContent = "";
    const counted = (answer) => {
      if (answer && typeof answer.count === "number") {
        this.counts.set(id, [answer.count, answer.added === true, this.version]);
        const reactions = new Set((this.mine && this.mine.reactions) || []);
        if (answer.added) {
          reactions.add(id);
        } else {
          reactions.delete(id);
        }
        if (this.mine) {
          this.mine.reactions = [...reactions];
        }
        if (button.isConnected) {
          this.showMeToo(button, { id, count: answer.count });
        }
      }
    };
    const { status, answer, kept } = await this.outbox.send({
      url: "metoo",
      body: { card: id, on },
      slot: `metoo:${id}`,
      onDone: counted,
    });
    button.removeAttribute("aria-busy");
    if (status === 200) {
      counted(answer);
    } else if (kept) {
      button.setAttribute("aria-pressed", on ? "true" : "false"); // as the person wants it; it goes by itself
      alert.textContent = this.s["phone.outbox_kept_short"];
    } else if (status) {
      alert.textContent = this.refused(status, answer);
    }
  }

  showMeToo(button, card) {
    const own = this.counts.get(card.id);
    const added = own ? own[1] : ((this.mine && this.mine.reactions) || []).includes(card.id);
    const count = own ? own[0] : card.count;
    button.querySelector(".hc-label").textContent = fmt(this.s[added ? "phone.me_too_added" : "phone.me_too"], { count });
    button.querySelector(".hc-heart").textContent = added ? "\u2665" : "\u2661";
    button.setAttribute("aria-pressed", added ? "true" : "false");
  }

  async hopeCard(button, say) {
    if (button.getAttribute("aria-busy") === "true") {
      return;
    }
    button.setAttribute("aria-busy", "true");
    say.busy(this.s["phone.card_drawing"]);
    const now = new Date();
    const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
    try {
      const response = await fetch(`${this.setup.urls.card}?lang=${encodeURIComponent(this.data.lang)}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        cache: "no-store",
        body: JSON.stringify(this.body({ date: day })),
      });
      if (response.ok && (response.headers.get("content-type") || "").startsWith("image/png")) {
        const address = URL.createObjectURL(await response.blob());
        const link = h("a", { href: address, download: "hope-card.png", class: "hc-hidden" });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(address), 60_000);
        say.done(this.s["phone.card_saved"]);
      } else {
        const answer = await response.json().catch(() => null);
        say.failed((answer && answer.message) || this.s["phone.card_failed"]);
      }
    } catch (error) {
      say.failed(this.s["phone.card_failed"]);
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  async join(button, say) {
    if (button.getAttribute("aria-busy") === "true") {
      return;
    }
    button.setAttribute("aria-busy", "true");
    say.busy(this.s["phone.sending"]);
    const code = this.data.code;
    let key = stored(JOIN_KEY + code);
    if (!key) {
      key = randomWord(16);
      keep(JOIN_KEY + code, key);
    }
    const { status, answer } = await this.post("join", { code, proof: this.data.proof, key, lang: this.data.lang, shown: this.shown });
    button.removeAttribute("aria-busy");
    if (status === 200 && answer && answer.token) {
      this.token = answer.token;
      keep(JOINED + code, answer.token);
      this.apply(answer);
      if (this.data.typed) {
        window.location.replace(this.address(this.data.lang)); // the code box above goes with the page
        return;
      }
      say.clear();
      this.keepAddress();
      this.render();
      // The join button was at the end of the consent: the room starts at its top (where a
      // question about last time, or the welcome, is), not where the consent ended.
      window.scrollTo(0, 0);
      const top = this.box.getBoundingClientRect().top;
      if (top < 0) {
        this.box.scrollIntoView({ block: "start" });
      }
      this.poll();
    } else {
      say.failed((answer && answer.message) || this.s["phone.join_failed"]);
    }
  }

  // The place is gone (the session was cleared): offer to join again.
  lost() {
    keep(JOINED + this.data.code, null);
    this.token = "";
    this.room = null;
    this.signature = "";
    this.placeLost = true;
    this.render();
  }

  // The server cannot be reached (on), or was just reached again: then the room is asked at
  // once, not after the question's pause (a send got through before the question did).
  offline(on) {
    const was = !this.reconnecting.hidden;
    this.reconnecting.hidden = !on;
    if (was && !on) {
      this.wake();
    }
  }

  // -- the address and the language ---------------------------------------------------------------

  address(language) {
    const query = new URLSearchParams({ code: this.data.code });
    if (this.token) {
      query.set("p", this.token);
    }
    query.set("lang", language);
    return `${window.location.pathname}?${query.toString()}`;
  }

  keepAddress() {
    const wanted = this.address(this.data.lang);
    if (`${window.location.pathname}${window.location.search}` !== wanted) {
      window.history.replaceState(window.history.state, "", wanted);
    }
  }

  async choose(language) {
    if (language === this.data.lang) {
      return;
    }
    if (this.token) {
      const asking = new AbortController();
      setTimeout(() => asking.abort(), 3000);
      await this.post("language", { token: this.token, lang: language }, asking.signal);
    }
    window.location.replace(this.address(language));
  }

  // -- drafts and this tab's marks ---------------------------------------------------------------------

  mark(name) {
    return `hc-${name}:${String(this.token).slice(0, 8)}`;
  }

  draft(form) {
    return parsed(stored(`${DRAFTS}${form}:${String(this.token || this.data.code).slice(0, 8)}`), null);
  }

  keepDraft(form, values) {
    keep(`${DRAFTS}${form}:${String(this.token || this.data.code).slice(0, 8)}`, JSON.stringify(values));
  }

  forgetDraft(form) {
    keep(`${DRAFTS}${form}:${String(this.token || this.data.code).slice(0, 8)}`, null);
  }

  // Whether the form on a reflect or next-step screen has words typed and not sent.
  writing(phase) {
    const form = phase === "reflect" ? "reflection" : phase === "next_step" ? "goal" : null;
    const typed = form ? this.draft(form) : null;
    return Boolean(typed && Object.values(typed).some((value) => String(value || "").trim()));
  }

  // -- drawing -----------------------------------------------------------------------------------

  // A phase's title: the page's one h1 (the focus goes to it when the screen it replaced had it).
  heading(text) {
    return h("h1", { class: "hc-title", tabindex: "-1", text });
  }

  languagePicker() {
    const languages = this.setup.languages || [];
    if (languages.length < 2) {
      return null;
    }
    const row = h("div", { class: "hc-languages", role: "group", "aria-label": this.s["phone.language"] });
    for (const [code, name] of languages) {
      const button = h("button", { type: "button", class: "hc-pill", lang: code, "aria-pressed": code === this.data.lang ? "true" : "false", text: name });
      button.addEventListener("click", () => this.choose(code));
      row.append(button);
    }
    return row;
  }

  render() {
    if (!this.data) {
      return;
    }
    this.outbox.draw();
    if (!this.token) {
      this.renderConsent();
      return;
    }
    if (!this.room) {
      if (this.screenKey !== "waiting") {
        this.screenKey = "waiting";
        this.box.replaceChildren(this.languagePicker() || "", this.reconnecting, this.outbox.el, this.live);
      }
      return;
    }
    const room = this.room;
    const now = room.open ? room.phase : "close";
    let movedTo = null;
    // The phase this screen showed, in this tab (a reload keeps a form being written, too).
    const held = this.shownPhase || stored(this.mark("shown"));
    if (room.open && held && held !== now && (held === "reflect" || held === "next_step") && this.writing(held)) {
      movedTo = now; // words are being typed: keep the form, say the group moved on
      this.shownPhase = held;
    } else {
      this.shownPhase = now;
    }
    keep(this.mark("shown"), this.shownPhase);
    const key = [this.shownPhase, room.open, this.data.lang].join("|");
    if (key !== this.screenKey) {
      this.build(key, Boolean(this.builtPhase) && this.builtPhase !== this.shownPhase);
    }
    this.screen.update(this);
    this.movedOn.replaceChildren();
    if (movedTo) {
      const go = h("button", { type: "button", class: "hc-primary", text: this.s["phone.moved_on_continue"] });
      go.addEventListener("click", () => {
        this.shownPhase = movedTo;
        this.render();
      });
      this.movedOn.append(note("info", fmt(this.s["phone.moved_on"], { phase: this.s[`phase.${movedTo}`] })), go);
    }
    this.drawExtras();
  }

  build(key, moved) {
    const root = this.box.getRootNode();
    const active = (root && root.activeElement) || document.activeElement;
    const hadFocus = Boolean(active && this.box.contains(active));
    this.screenKey = key;
    this.builtPhase = this.shownPhase;
    this.screen = (SCREENS[this.shownPhase] || welcomeScreen)(this);
    this.movedOn = h("div", { class: "hc-moved-on" });
    this.extras = h("div");
    if (this.partsLanguage !== this.data.lang) {
      // Kept from screen to screen (an open list stays open), made anew only in another language.
      this.partsLanguage = this.data.lang;
      this.mineList = mineList(this);
      this.talk = talkCard(this);
    }
    this.extrasKey = null;
    this.carryBox = h("div");
    this.carryKey = null;
    this.box.replaceChildren(
      this.languagePicker() || "",
      h("p", { class: "hc-session-name", text: this.room.title || "" }),
      this.reconnecting,
      this.outbox.el,
      this.carryBox,
      this.screen.el,
      this.movedOn,
      this.extras,
      this.mineList.el,
      this.live,
    );
    if (moved) {
      this.say(fmt(this.s["phone.now"], { phase: this.s[`phase.${this.shownPhase}`] }));
      const title = this.screen.el.querySelector(".hc-title");
      if (title && title.getBoundingClientRect().top < 0) {
        title.scrollIntoView({ block: "start" }); // a new screen starts at its title, not mid-way down
      }
      if (hadFocus && title) {
        title.focus({ preventScroll: true }); // what had the focus is gone with the old screen
      }
    }
  }

  drawExtras() {
    const room = this.room;
    // Before check-in, privately: how last time's step went (a meeting of a recurring group).
    const asked = asksFollowUp(this, this.shownPhase);
    const carryKey = JSON.stringify([asked, this.mine && this.mine.carry && this.mine.carry.group]);
    if (carryKey !== this.carryKey) {
      this.carryKey = carryKey;
      this.carryBox.replaceChildren(asked ? followUpCard(this) : "");
    }
    const parts = [];
    const seen = Number(stored(this.mark("resources")) || 0);
    let linesOpen = false;
    if (room.resources > seen) {
      const close = h("button", { type: "button", class: "hc-secondary", text: this.s["phone.resources_close"] });
      close.addEventListener("click", () => {
        keep(this.mark("resources"), String(room.resources));
        this.render();
      });
      parts.push(h("div", { class: "hc-block" }, note("info", this.s["phone.resources_shared"]), supportLines(this, true), close));
      linesOpen = true;
    }
    const support = stored(this.mark("support")) === "1";
    if (support) {
      parts.push(h("div", { class: "hc-block" }, note("heart", this.s["phone.support_message"]), linesOpen ? "" : supportLines(this, true)));
      linesOpen = true;
    }
    if (room.open && (this.shownPhase === "close" || support)) {
      this.talk.update();
      parts.push(this.talk.el);
    }
    if (this.shownPhase === "close" && !linesOpen) {
      parts.push(supportLines(this, true));
      linesOpen = true;
    }
    if (!linesOpen) {
      parts.push(supportLines(this, false)); // the lines are a tap away on every screen
    }
    const key = JSON.stringify([room.resources, seen, support, this.shownPhase, room.open, room.lines, Boolean(this.mine && this.mine.talk)]);
    if (key !== this.extrasKey || !this.extras.children.length) {
      this.extrasKey = key;
      this.extras.replaceChildren(...parts);
    }
    this.mineList.update();
  }

  renderConsent() {
    if (this.screenKey === "consent") {
      return;
    }
    this.screenKey = "consent";
    this.room = null;
    const parts = [this.languagePicker() || ""];
    if (this.placeLost) {
      parts.push(note("warn", this.s["phone.place_lost"]));
    }
    // Words that waited for a place now lost stay in view, with what happened.
    parts.push(this.reconnecting, this.outbox.el, consentScreen(this, this.data.title || ""), supportLines(this, false), this.live);
    this.box.replaceChildren(...parts);
  }
}

// Streamlit's own "Connection error" dialog would cover the phone's screen while the Wi-Fi is
// down (and stay a while after it is back). The phone says so itself, calmly, in its language
// (`hc-reconnecting`): the dialog is closed as it opens, which also tells Streamlit not to open
// it again on this page. Nothing else on the phone's page is a Streamlit dialog.
function closeConnectionDialogs() {
  if (window.hcDialogWatch) {
    return;
  }
  const close = () => {
    for (const dialog of document.querySelectorAll('[data-testid="stDialog"]')) {
      const button = dialog.querySelector('button[aria-label="Close"]');
      if (button) {
        button.click();
      } else {
        dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
      }
    }
  };
  const style = document.createElement("style");
  style.textContent = '[data-testid="stDialog"] { visibility: hidden !important; }';
  document.head.append(style);
  window.hcDialogWatch = new MutationObserver(close);
  window.hcDialogWatch.observe(document.body, { childList: true, subtree: true });
}
