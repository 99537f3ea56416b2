// The phone's outbox (see hopecircle/ui/phone_room.py): joined between the screens and
// phone_room.js into one module.
//
// Every reflection, next step, check-in or check-out word, hope pulse and "me too" goes through
// here. It is kept in the browser's localStorage (by room code) before it is posted, so a
// dropped connection, a reload or a locked screen loses nothing; it is removed once the server
// has answered. A send that could not reach the server waits, shown under "Waiting to send" with
// its words, and goes by itself: a second or so after a failed try, and at once when the room's
// question is answered again or the browser says it is back online. Each send has a random key
// made here; the server stores the same key once, however often it arrives (`http/phone.py`).
// While it waits, the person can change its words (same key: the one stored send takes them) or
// withdraw it (if a try may have arrived, a delete by key follows it). A send the server refuses
// after the person moved on (the session ended, the place is gone) stays, with what happened,
// until the person removes it: words are never dropped silently.
const OUTBOX = "hc-outbox:"; // + room code
const SEND_RETRY_SECONDS = 1.0; // after a failed try, plus up to half a second so a room does not retry in step
const SEND_SECONDS = 20; // a send is answered in well under this even in a room of 1,000

// Whether a post's answer says the server never had it (or may not have): try again later.
function unreached(status) {
  return status === 0 || status === 502 || status === 503 || status === 504;
}

class Outbox {
  constructor(phone) {
    this.phone = phone;
    this.items = [];
    this.code = null;
    this.flushing = false;
    this.again = false;
    this.timer = null;
    this.waiters = new Map(); // key -> the form's promise, settled after the first try
    this.editors = new Map(); // key -> an open editor, kept across redraws
    this.el = h("section", { class: "hc-outbox hc-block", "aria-labelledby": "hc-outbox-title" });
    this.el.hidden = true;
    window.addEventListener("online", () => this.flush());
  }

  load(code) {
    if (this.code === code) {
      return;
    }
    this.code = code;
    const kept = parsed(stored(OUTBOX + code, "localStorage"), []);
    this.items = (Array.isArray(kept) ? kept : []).filter((item) => item && typeof item.key === "string" && item.body);
    for (const item of this.items) {
      item.posting = false;
      item.editing = false;
    }
  }

  save() {
    const kept = this.items.map(({ posting, editing, ...item }) => item);
    keep(OUTBOX + this.code, kept.length ? JSON.stringify(kept) : null, "localStorage");
  }

  waiting() {
    return this.items.some((item) => !item.refused);
  }

  // Post now, or keep it to go by itself. Resolves after the first try:
  // {status, answer, kept} where kept means it waits here for the connection.
  send(spec) {
    const item = {
      key: spec.key || randomWord(16),
      token: this.phone.token,
      url: spec.url,
      body: spec.body,
      slot: spec.slot || null,
      kind: spec.kind,
      words: spec.words || "",
      tries: 0,
      refused: null,
    };
    if (item.url === "send") {
      item.body = { ...item.body, key: item.key };
    }
    // A newer pulse, word, next step or "me too" on the same card takes the place of one still waiting.
    const older = item.slot ? this.items.findIndex((other) => other.slot === item.slot && !other.refused && !other.posting) : -1;
    if (older >= 0) {
      const [replaced] = this.items.splice(older, 1);
      this.settle(replaced, { status: 0, answer: null, kept: false, replaced: true });
    }
    this.items.push(item);
    this.save();
    const settled = new Promise((resolve) => this.waiters.set(item.key, resolve));
    item.onDone = spec.onDone || null;
    this.flush();
    return settled;
  }

  settle(item, outcome) {
    const resolve = this.waiters.get(item.key);
    if (resolve) {
      this.waiters.delete(item.key);
      resolve(outcome);
    }
  }

  later() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), (SEND_RETRY_SECONDS + Math.random() * 0.5) * 1000);
  }

  async flush() {
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    clearTimeout(this.timer);
    try {
      do {
        this.again = false;
        for (const item of [...this.items]) {
          if (item.refused || item.editing || !this.items.includes(item)) {
            continue;
          }
          if (!(await this.deliver(item))) {
            for (const other of this.items) {
              this.settle(other, { status: 0, answer: null, kept: true }); // they wait too, in order
            }
            return;
          }
        }
      } while (this.again);
    } finally {
      this.flushing = false;
      this.draw();
    }
  }

  // One try; false when the server was not reached.
  async deliver(item) {
    item.posting = true;
    this.draw();
    const phone = this.phone;
    const giveUp = new AbortController();
    const timer = setTimeout(() => giveUp.abort(), SEND_SECONDS * 1000); // a connection that went silent
    const { status, answer } = await phone.post(item.url, { ...item.body, token: item.token, lang: phone.data.lang }, giveUp.signal);
    clearTimeout(timer);
    item.posting = false;
    const withdrawn = !this.items.includes(item);
    if (unreached(status)) {
      item.tries += 1;
      if (withdrawn) {
        this.followWithdrawal(item);
      }
      this.save();
      phone.offline(true);
      this.settle(item, { status, answer, kept: !withdrawn });
      this.later();
      return false;
    }
    phone.offline(false);
    const first = this.waiters.has(item.key);
    if (withdrawn) {
      if (status === 200) {
        this.followWithdrawal(item); // it arrived after all: take it back
      }
    } else if (status === 200 || first) {
      // Answered, or refused while the person still looks at the form (it keeps the words then).
      this.items.splice(this.items.indexOf(item), 1);
    } else {
      item.refused = phone.refused(status, answer);
    }
    this.save();
    this.settle(item, { status, answer, kept: false });
    if (!first && status === 200 && !withdrawn) {
      if (item.onDone) {
        item.onDone(answer);
      }
      phone.say(answer && answer.message ? answer.message : phone.s["phone.outbox_sent"]);
    }
    if (status === 200 && answer && answer.mine) {
      phone.written(answer);
    }
    return true;
  }

  // A withdrawn send that may have arrived: a delete by its key goes after it.
  followWithdrawal(item) {
    if (item.url !== "send" || item.followed) {
      return;
    }
    item.followed = true;
    this.items.push({
      key: randomWord(16),
      token: item.token,
      url: "delete",
      body: { form: item.body.form, key: item.key },
      slot: null,
      kind: "withdrawal",
      words: "",
      tries: 0,
      refused: null,
    });
  }

  withdraw(item) {
    this.editors.delete(item.key);
    const at = this.items.indexOf(item);
    if (at >= 0) {
      this.items.splice(at, 1);
    }
    if (!item.posting && item.tries > 0 && !item.refused) {
      this.followWithdrawal(item); // a try whose answer never came may have arrived
    }
    this.save();
    this.phone.say(this.phone.s["phone.outbox_withdrawn"]);
    this.draw();
    this.flush();
  }

  edit(item, words) {
    item.words = words;
    const fields = { ...item.body.fields };
    fields[item.kind === "goal" ? "what" : "text"] = words;
    item.body = { ...item.body, fields };
    item.editing = false;
    this.editors.delete(item.key);
    this.save();
    this.flush();
  }

  // -- drawing -----------------------------------------------------------------------------------

  label(item) {
    const s = this.phone.s;
    if (item.url === "pulse") {
      return item.body.value === null ? s["phone.outbox_pulse_removed"] : fmt(s["phone.outbox_pulse"], { value: item.body.value });
    }
    if (item.url === "metoo") {
      return s[item.body.on ? "phone.outbox_me_too" : "phone.outbox_me_too_off"];
    }
    return s[`kind.${item.kind}`] || "";
  }

  draw() {
    const s = this.phone.s;
    const shown = this.items.filter((item) => item.kind !== "withdrawal");
    this.el.hidden = !shown.length;
    if (!shown.length) {
      this.el.replaceChildren();
      return;
    }
    const rows = shown.map((item) => this.row(item));
    this.el.replaceChildren(
      h("h2", { id: "hc-outbox-title", text: s["phone.outbox_title"] }),
      h("p", { class: "hc-caption", text: s[this.waiting() ? "phone.outbox_help" : "phone.outbox_refused_help"] }),
      h("ul", { class: "hc-list hc-outbox-list" }, rows),
    );
  }

  row(item) {
    const s = this.phone.s;
    const li = h("li", { class: "hc-outbox-item" });
    li.append(h("p", { class: "hc-caption", text: this.label(item) }));
    if (item.words) {
      li.append(h("div", { class: "hc-text", text: item.words }));
    }
    if (item.refused) {
      li.append(note("warn", fmt(s["phone.outbox_not_sent"], { reason: item.refused })));
      const remove = h("button", { type: "button", class: "hc-secondary", text: s["phone.outbox_remove"] });
      remove.addEventListener("click", () => this.withdraw(item));
      li.append(remove);
      return li;
    }
    if (this.editors.has(item.key)) {
      li.append(this.editors.get(item.key));
      return li;
    }
    li.append(h("p", { class: "hc-status", "data-kind": "busy", text: s[item.posting ? "phone.sending" : "phone.outbox_waiting"] }));
    const buttons = h("div", { class: "hc-row" });
    if (item.url === "send" && !item.posting) {
      const change = h("button", { type: "button", class: "hc-secondary", text: s["phone.outbox_edit"] });
      change.addEventListener("click", () => this.openEditor(item));
      buttons.append(change);
    }
    const withdraw = h("button", { type: "button", class: "hc-secondary", text: s["phone.outbox_withdraw"] });
    withdraw.addEventListener("click", () => this.withdraw(item));
    buttons.append(withdraw);
    li.append(buttons);
    return li;
  }

  openEditor(item) {
    const s = this.phone.s;
    item.editing = true;
    const id = `hc-outbox-edit-${item.key}`;
    const area = h("textarea", { id, rows: 3, autocomplete: "off" });
    area.value = item.words;
    const save = h("button", { type: "button", class: "hc-primary", text: s["phone.outbox_save"] });
    const cancel = h("button", { type: "button", class: "hc-secondary", text: s["phone.outbox_cancel"] });
    const alert = h("p", { class: "hc-alert", role: "alert" });
    save.addEventListener("click", () => {
      if (!area.value.trim()) {
        alert.textContent = s["phone.outbox_empty"];
        return;
      }
      this.edit(item, area.value);
    });
    cancel.addEventListener("click", () => {
      item.editing = false;
      this.editors.delete(item.key);
      this.draw();
      this.flush();
    });
    const editor = h("div", { class: "hc-field" }, h("label", { for: id, text: s["phone.outbox_edit_label"] }), area, h("div", { class: "hc-row" }, save, cancel), alert);
    this.editors.set(item.key, editor);
    this.draw();
    area.focus();
  }
}
