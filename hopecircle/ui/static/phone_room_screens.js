// The phone's room screens, drawn from data (see hopecircle/ui/phone_room.py). This file is
// joined in front of phone_room.js into one module: the builders here, the phone itself there.
//
// Every element is made with createElement; every sentence and every participant's word is set
// as text (`textContent`, a text node) or as a field's value, never as HTML or Markdown.
// Each builder returns {el, update(phone)}: a screen is built when the phase it shows changes,
// and brought up to date in place after that, so a field being typed in keeps its focus.

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === "class") {
      el.className = value;
    } else if (name === "text") {
      el.textContent = value;
    } else if (name.startsWith("on")) {
      el.addEventListener(name.slice(2), value);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      el.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
  }
  return el;
}

function fmt(text, params) {
  return String(text || "").replace(/\{(\w+)\}/g, (whole, name) =>
    params && params[name] !== undefined ? String(params[name]) : whole,
  );
}

function list(items, cls) {
  return h("ul", { class: cls || "hc-list" }, items.map((item) => h("li", { text: item })));
}

function note(kind, text) {
  return h("div", { class: `hc-note hc-note-${kind}` }, h("span", { class: "hc-note-icon", "aria-hidden": "true", text: NOTE_ICONS[kind] || "" }), h("span", { text }));
}

const NOTE_ICONS = { info: "\u2139\ufe0f", ok: "\u2714\ufe0f", warn: "\u26a0\ufe0f", door: "\ud83d\udeaa", heart: "\ud83d\udc9a" };

// The support lines, every one with how to reach it, and what this tool is not.
function supportLines(phone, open) {
  const s = phone.s;
  const room = phone.room || phone.lines || {};
  const lines = (room.lines || []).map((line) =>
    h(
      "div",
      { class: "hc-line" },
      h("strong", { text: line.name }),
      line.detail ? h("div", { class: "hc-line-detail", text: line.detail }) : null,
      reachLinks(s, line),
    ),
  );
  return h(
    "details",
    { class: "hc-lines", open: open || null },
    h("summary", { text: s["crisis.panel_title"] }),
    h("p", { text: s["crisis.not_monitored"] }),
    lines,
    room.verified ? h("p", { class: "hc-caption", text: fmt(s["crisis.verified"], { date: room.verified }) }) : null,
  );
}

function reachLinks(s, line) {
  const links = [];
  if (line.call_url) {
    links.push(h("a", { class: "hc-reach", href: line.call_url }, h("span", { "aria-hidden": "true", text: "\ud83d\udcde" }), fmt(s["crisis.call"], { number: line.call })));
  }
  if (line.text_url) {
    links.push(h("a", { class: "hc-reach", href: line.text_url }, h("span", { "aria-hidden": "true", text: "\ud83d\udcac" }), fmt(s["crisis.text"], { number: line.text })));
  }
  return links.length ? h("div", { class: "hc-reaches" }, links) : null;
}

function goalText(s, what, when, support) {
  let text = fmt(s["goal.sentence"], { what });
  if (when) {
    text += " " + fmt(s["goal.by"], { when });
  }
  if (support) {
    text += "\n" + fmt(s["goal.support"], { support });
  }
  return text;
}

function mineOf(phone, kind) {
  return ((phone.mine && phone.mine.words) || []).filter((word) => word.kind === kind);
}

// A form that posts: labelled fields, an optional single choice (toggle buttons), a submit
// button, a status line and an alert line. Typed words are kept as a draft in sessionStorage
// until sent, so a redraw or a reload loses nothing.
function postedForm(phone, spec) {
  const form = h("form", { class: "hc-form", novalidate: true });
  const fields = [];
  for (const field of spec.fields) {
    const id = `hc-${spec.name}-${field.name}`;
    const input = h(field.multiline ? "textarea" : "input", {
      id,
      name: field.name,
      autocomplete: "off",
      placeholder: field.placeholder || null,
      rows: field.multiline ? 4 : null,
      type: field.multiline ? null : "text",
    });
    input.value = field.value || "";
    input.addEventListener("input", () => phone.keepDraft(spec.name, values()));
    fields.push(input);
    form.append(h("div", { class: "hc-field" }, h("label", { for: id, text: field.label }), input));
  }
  let group = null;
  if (spec.choice) {
    group = choiceGroup(`hc-${spec.name}-${spec.choice.name}`, spec.choice.label, spec.choice.options, spec.choice.value, () =>
      phone.keepDraft(spec.name, values()),
    );
    group.dataset.name = spec.choice.name;
    form.append(group);
  }
  const button = h("button", { type: "submit", class: "hc-primary", text: spec.submit });
  const say = feedback();
  form.append(button, say.status, say.alert);

  function values() {
    const out = {};
    for (const input of fields) {
      out[input.name] = input.value;
    }
    if (group) {
      out[group.dataset.name] = chosen(group) || "";
    }
    return out;
  }
  function fill(saved) {
    if (!saved) {
      return;
    }
    for (const input of fields) {
      if (typeof saved[input.name] === "string") {
        input.value = saved[input.name];
      }
    }
    if (group && typeof saved[group.dataset.name] === "string") {
      choose(group, saved[group.dataset.name]);
    }
  }
  fill(phone.draft(spec.name));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.getAttribute("aria-busy") === "true") {
      return; // the first tap is on its way
    }
    const sent = values();
    button.setAttribute("aria-busy", "true");
    say.busy(phone.s["phone.sending"]);
    const saved = (answer) => say.done(answer.message || "", answer.status === "held" ? "info" : "ok");
    const { status, answer, kept } = await phone.outbox.send({
      url: spec.url,
      body: spec.body(sent),
      slot: spec.slot,
      kind: spec.kind,
      words: spec.words(sent),
      onDone: saved,
    });
    button.removeAttribute("aria-busy");
    if ((status === 200 && answer) || kept) {
      // Sent, or kept on the phone to go by itself: the box is free again either way.
      phone.forgetDraft(spec.name);
      if (kept) {
        say.done(phone.s["phone.outbox_kept"], "info");
      } else {
        saved(answer);
      }
      if (spec.clear) {
        for (const input of fields) {
          input.value = "";
        }
      }
      if (spec.submitted) {
        button.textContent = spec.submitted;
      }
    } else if (status) {
      say.failed(phone.refused(status, answer));
    } else {
      say.clear(); // a newer one of the same kind took its place before it was tried
    }
  });
  return { el: form, fill, values, button };
}

// One choice at most, or none: toggle buttons in a labelled group (a second tap takes it back).
function choiceGroup(id, label, options, value, changed) {
  const legend = h("div", { class: "hc-legend", id: `${id}-label`, text: label });
  const row = h("div", { class: "hc-pills" });
  for (const [optionValue, text] of options) {
    const pill = h("button", { type: "button", class: "hc-pill", "aria-pressed": String(optionValue) === String(value) ? "true" : "false", text });
    pill.dataset.value = String(optionValue);
    pill.addEventListener("click", () => {
      const on = pill.getAttribute("aria-pressed") !== "true";
      for (const other of row.children) {
        other.setAttribute("aria-pressed", "false");
      }
      pill.setAttribute("aria-pressed", on ? "true" : "false");
      changed();
    });
    row.append(pill);
  }
  return h("div", { class: "hc-choices", role: "group", "aria-labelledby": `${id}-label` }, legend, row);
}

function chosen(group) {
  const pressed = group.querySelector('.hc-pill[aria-pressed="true"]');
  return pressed ? pressed.dataset.value : null;
}

function choose(group, value) {
  for (const pill of group.querySelectorAll(".hc-pill")) {
    pill.setAttribute("aria-pressed", pill.dataset.value === String(value) ? "true" : "false");
  }
}

// An answer under a button the person tapped at the screen's lower edge is brought into view.
function reveal(line) {
  if (!line.isConnected || !line.textContent) {
    return;
  }
  const box = line.getBoundingClientRect();
  if (box.bottom > window.innerHeight || box.top < 0) {
    line.scrollIntoView({ block: "nearest" });
  }
}

// The line under a form: what happened (a polite status), or what to fix (an alert).
function feedback() {
  const status = h("p", { class: "hc-status", role: "status" });
  const alert = h("p", { class: "hc-alert", role: "alert" });
  return {
    status,
    alert,
    busy(text) {
      status.textContent = text;
      status.dataset.kind = "busy";
      alert.textContent = "";
    },
    done(text, kind) {
      status.textContent = text;
      status.dataset.kind = kind || "ok";
      alert.textContent = "";
      reveal(status);
    },
    failed(text) {
      status.textContent = "";
      alert.textContent = text;
      reveal(alert);
    },
    clear() {
      status.textContent = "";
      alert.textContent = "";
    },
  };
}

// -- the phases --------------------------------------------------------------------------------

function welcomeScreen(phone) {
  const s = phone.s;
  const agreements = h("div");
  const el = h("section", {}, phone.heading(s["phone.welcome_title"]), h("p", { text: s["phone.welcome_body"] }), agreements);
  return {
    el,
    update() {
      agreements.replaceChildren(list(phone.room.agreements || []));
    },
  };
}

function storyScreen(phone) {
  const s = phone.s;
  const body = h("div");
  const el = h("section", {}, phone.heading(s["phone.story_title"]), body, note("door", s["phone.step_out"]));
  return {
    el,
    update() {
      const room = phone.room;
      body.replaceChildren(
        room.storyteller ? h("p", { text: fmt(s["phone.story_body"], { storyteller: room.storyteller }) }) : "",
        room.notes && room.notes.length ? h("p", { class: "hc-caption", text: s["phone.topic_notes"] }) : "",
        room.notes && room.notes.length ? list(room.notes) : "",
      );
    },
  };
}

function reflectScreen(phone) {
  const s = phone.s;
  const prompts = h("div");
  const form = postedForm(phone, {
    name: "reflection",
    url: "send",
    fields: [
      {
        name: "text",
        label: fmt(s["phone.reflection_label"], { limit: phone.setup.limits.reflection }),
        placeholder: s["phone.reflection_placeholder"],
        multiline: true,
      },
    ],
    submit: s["phone.share"],
    clear: true, // a reflection is added; the next one starts empty
    kind: "reflection",
    words: (values) => values.text,
    body: (values) => phone.body({ form: "reflection", fields: values }),
  });
  const el = h("section", {}, phone.heading(s["phone.reflect_title"]), prompts, form.el);
  return {
    el,
    form,
    update() {
      prompts.replaceChildren(list(phone.room.prompts || []));
    },
  };
}

function nextStepScreen(phone) {
  const s = phone.s;
  const limits = phone.setup.limits;
  const prompt = h("p", { class: "hc-prompt" });
  const saved = mineOf(phone, "goal")[0];
  const form = postedForm(phone, {
    name: "goal",
    url: "send",
    fields: [
      { name: "what", label: fmt(s["phone.goal_what"], { limit: limits.goal }), placeholder: s["phone.goal_what_placeholder"], value: saved ? saved.text : "" },
      { name: "when", label: fmt(s["phone.goal_when"], { limit: limits.when }), placeholder: s["phone.goal_when_placeholder"], value: saved ? saved.when : "" },
      { name: "support", label: fmt(s["phone.goal_support"], { limit: limits.support }), value: saved ? saved.support : "" },
    ],
    choice: {
      name: "dimension",
      label: s["phone.goal_dimension"],
      options: phone.setup.dimensions.map((d) => [d, s[`dimension.${d}`]]),
      value: saved ? saved.dimension : null,
    },
    submit: saved ? s["phone.update_goal"] : s["phone.save_goal"],
    submitted: s["phone.update_goal"], // a goal is kept, and updated from now on
    kind: "goal",
    slot: "send:goal", // one next step: a newer one waiting takes the older one's place
    words: (values) => values.what,
    body: (values) => phone.body({ form: "goal", fields: values }),
  });
  const el = h("section", {}, phone.heading(s["phone.goal_title"]), prompt, form.el);
  return {
    el,
    form,
    update() {
      prompt.textContent = phone.room.next_step_prompt || "";
    },
  };
}

// One word or emoji: "how are you arriving?" (check-in) or "one thing I'm taking with me" (close).
function wordBlock(phone, kind) {
  const s = phone.s;
  const name = kind; // "checkin" or "checkout"
  const said = h("div");
  const emoji = choiceGroup(`hc-${name}-emoji`, s["phone.pick_emoji"], phone.setup.emoji.map((e) => [e, e]), null, () => {});
  const id = `hc-${name}-word`;
  const input = h("input", { id, type: "text", autocomplete: "off", placeholder: s["phone.one_word_placeholder"] });
  input.value = (phone.draft(name) || {}).text || "";
  input.addEventListener("input", () => phone.keepDraft(name, { text: input.value }));
  const button = h("button", { type: "submit", class: "hc-primary", text: s["phone.send"] });
  const say = feedback();
  const form = h(
    "form",
    { class: "hc-form", novalidate: true },
    emoji,
    h("div", { class: "hc-field" }, h("label", { for: id, text: fmt(s["phone.one_word"], { limit: phone.setup.limits.word }) }), input),
    button,
    say.status,
    say.alert,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.getAttribute("aria-busy") === "true") {
      return;
    }
    const word = input.value.trim() ? input.value : chosen(emoji) || "";
    button.setAttribute("aria-busy", "true");
    say.busy(s["phone.sending"]);
    const saved = (answer) => say.done(answer.message || "", answer.status === "held" ? "info" : "ok");
    const { status, answer, kept } = await phone.outbox.send({
      url: "send",
      body: phone.body({ form: name, fields: { text: word } }),
      slot: `send:${name}`,
      kind: name,
      words: word,
      onDone: saved,
    });
    button.removeAttribute("aria-busy");
    if ((status === 200 && answer) || kept) {
      phone.forgetDraft(name);
      input.value = "";
      choose(emoji, "");
      if (kept) {
        say.done(s["phone.outbox_kept"], "info");
      } else {
        saved(answer);
      }
    } else if (status) {
      say.failed(phone.refused(status, answer));
    } else {
      say.clear();
    }
  });
  const el = h("div", { class: "hc-block" }, h("h2", { text: s[kind === "checkin" ? "phone.checkin_prompt" : "phone.checkout_prompt"] }), said, form);
  return {
    el,
    update() {
      const word = mineOf(phone, kind)[0];
      said.replaceChildren(word ? h("p", { class: "hc-caption", text: s["phone.you_said"] }) : "", word ? h("div", { class: "hc-text", text: word.text }) : "");
    },
  };
}

// The 0-10 hope pulse, labelled as a pulse check that anyone may skip.
function pulseBlock(phone, moment) {
  const s = phone.s;
  const [low, high] = phone.setup.pulse;
  const values = [];
  for (let n = low; n <= high; n += 1) {
    values.push([n, String(n)]);
  }
  const current = () => (phone.mine && phone.mine.pulses ? phone.mine.pulses[moment] : undefined);
  const scale = choiceGroup(`hc-pulse-${moment}`, s["phone.pulse_scale"], values, current(), () => {});
  const answerLine = h("p", { class: "hc-caption" });
  const save = h("button", { type: "button", class: "hc-secondary", text: s["phone.save_pulse"] });
  const remove = h("button", { type: "button", class: "hc-secondary", text: s["phone.pulse_remove"] });
  const say = feedback();
  async function send(value) {
    if (save.getAttribute("aria-busy") === "true") {
      return;
    }
    save.setAttribute("aria-busy", "true");
    say.busy(s["phone.sending"]);
    const saved = (answer) => say.done(answer.message || "");
    const { status, answer, kept } = await phone.outbox.send({
      url: "pulse",
      body: phone.body({ moment, value }),
      slot: `pulse:${moment}`,
      onDone: saved,
    });
    save.removeAttribute("aria-busy");
    if (status === 200 && answer) {
      saved(answer);
    } else if (kept) {
      say.done(s["phone.outbox_kept"], "info");
    } else if (status) {
      say.failed(phone.refused(status, answer));
    } else {
      say.clear();
    }
  }
  save.addEventListener("click", () => {
    const picked = chosen(scale);
    if (picked !== null) {
      send(Number(picked));
    } else if (current() !== undefined) {
      send(null); // nothing picked: take back the earlier answer
    } else {
      say.done(s["phone.pulse_nothing"], "info");
    }
  });
  remove.addEventListener("click", () => {
    choose(scale, "");
    send(null);
  });
  const el = h(
    "div",
    { class: "hc-block" },
    h("h2", { text: s["phone.pulse_prompt"] }),
    h("p", { class: "hc-caption", text: s["phone.pulse_label"] }),
    scale,
    answerLine,
    h("div", { class: "hc-row" }, save, remove),
    say.status,
    say.alert,
  );
  return {
    el,
    update() {
      const value = current();
      answerLine.textContent = value !== undefined ? fmt(s["phone.pulse_current"], { value }) : "";
      remove.hidden = value === undefined;
    },
  };
}

function checkinScreen(phone) {
  const word = wordBlock(phone, "checkin");
  const pulse = pulseBlock(phone, "pre");
  return {
    el: h("section", {}, phone.heading(phone.s["phase.checkin"]), word.el, pulse.el),
    update() {
      word.update();
      pulse.update();
    },
  };
}

function boardScreen(phone) {
  const s = phone.s;
  const caption = h("p", { class: "hc-caption" });
  const cards = h("ul", { class: "hc-cards", "aria-label": s["phone.board_title"] });
  const more = h("button", { type: "button", class: "hc-secondary" });
  const alert = h("p", { class: "hc-alert", role: "alert" });
  more.addEventListener("click", () => phone.showMore());
  const el = h("section", {}, phone.heading(s["phone.board_title"]), caption, cards, alert, more);
  return {
    el,
    update() {
      const room = phone.room;
      const shown = room.cards || [];
      caption.textContent = room.waiting ? fmt(s["board.waiting"], { count: room.waiting }) : shown.length ? "" : s["phone.board_empty"];
      caption.hidden = !caption.textContent;
      const drawn = new Map([...cards.children].map((item) => [item.dataset.id, item]));
      const items = shown.map((card) => {
        const item = drawn.get(String(card.id)) || boardCard(phone, card.id, alert);
        item.querySelector(".hc-text").textContent = card.text;
        phone.showMeToo(item.querySelector("button"), card);
        return item;
      });
      const same = items.length === cards.children.length && items.every((item, n) => cards.children[n] === item);
      if (!same) {
        cards.replaceChildren(...items); // cards stay put unless the order changed: a card holding the focus keeps it
      }
      cards.hidden = items.length === 0;
      const rest = (room.approved || 0) - shown.length;
      more.hidden = !(shown.length && rest > 0 && !room.waiting);
      more.textContent = fmt(s["phone.board_more"], { count: rest });
    },
  };
}

function boardCard(phone, id, alert) {
  const button = h("button", { type: "button", class: "hc-me-too" }, h("span", { class: "hc-heart", "aria-hidden": "true" }), h("span", { class: "hc-label" }));
  button.addEventListener("click", () => phone.meToo(id, button, alert));
  const item = h("li", { class: "hc-card" }, h("div", { class: "hc-text" }), button);
  item.dataset.id = String(id);
  return item;
}

function closeScreen(phone) {
  const s = phone.s;
  const open = phone.room.open;
  const blocks = open ? [wordBlock(phone, "checkout"), pulseBlock(phone, "post")] : [];
  const goal = h("div");
  const el = h(
    "section",
    {},
    phone.heading(s["phone.close_title"]),
    blocks.map((block) => block.el),
    goal,
    h("p", { text: s["phone.close_thanks"] }),
    open ? null : note("info", s["phone.session_ended"]),
  );
  let drawnGoal = null;
  return {
    el,
    update() {
      for (const block of blocks) {
        block.update();
      }
      const saved = mineOf(phone, "goal")[0];
      const group = phone.mine.carry && phone.mine.carry.group;
      const key = saved ? JSON.stringify([saved.text, saved.when, saved.support, phone.mine.card_left_out, group]) : "";
      if (key === drawnGoal) {
        return;
      }
      drawnGoal = key;
      goal.replaceChildren(saved ? hopeCard(phone, saved) : "", saved && group ? remindBox(phone, saved) : "");
    },
  };
}

function hopeCard(phone, saved) {
  const s = phone.s;
  const button = h("button", { type: "button", class: "hc-primary" }, h("span", { "aria-hidden": "true", text: "\u2b07\ufe0f " }), s["phone.save_card"]);
  const say = feedback();
  button.addEventListener("click", () => phone.hopeCard(button, say));
  return h(
    "div",
    { class: "hc-block" },
    h("h2", { text: s["phone.your_goal"] }),
    h("div", { class: "hc-card hc-text", text: goalText(s, saved.text, saved.when, saved.support) }),
    button,
    h("p", { class: "hc-caption", text: s["phone.card_help"] }),
    phone.mine.card_left_out ? h("p", { class: "hc-caption", text: s["phone.card_left_out"] }) : null,
    say.status,
    say.alert,
  );
}

const SCREENS = {
  welcome: welcomeScreen,
  checkin: checkinScreen,
  story: storyScreen,
  reflect: reflectScreen,
  next_step: nextStepScreen,
  board: boardScreen,
  close: closeScreen,
};

// -- around the phase's screen ---------------------------------------------------------------------

// "What I've shared": the phone's own words with where each stands; edit or delete while open.
function mineList(phone) {
  const s = phone.s;
  const title = h("summary");
  const body = h("div", { class: "hc-mine" });
  const box = h("details", { class: "hc-mine-box" }, title, body);
  let drawn = null;
  box.addEventListener("toggle", () => {
    drawn = null;
    update();
  });
  function update() {
    const words = (phone.mine && phone.mine.words) || [];
    title.textContent = fmt(s["phone.mine_title"], { count: words.length });
    if (!box.open) {
      return;
    }
    const editable = phone.room && phone.room.open;
    const key = JSON.stringify([words, editable, phone.editing, phone.confirming]);
    if (key === drawn) {
      return;
    }
    drawn = key;
    body.replaceChildren(...(words.length ? words.map((word) => mineItem(phone, word, editable)) : [h("p", { class: "hc-caption", text: s["phone.mine_empty"] })]));
  }
  return { el: box, update };
}

function mineItem(phone, word, editable) {
  const s = phone.s;
  const text = word.kind === "goal" ? goalText(s, word.text, word.when, word.support) : word.text;
  const item = h(
    "div",
    { class: "hc-card" },
    h("div", { class: "hc-text", text }),
    h("div", { class: "hc-meta", text: `${s[`kind.${word.kind}`]} \u00b7 ${s[`phone.status_${word.status}`]}` }),
    passOnToggle(phone, word, editable),
  );
  if (!editable) {
    return item;
  }
  const say = feedback();
  const row = h("div", { class: "hc-row" });
  if (phone.editing === word.id && word.kind === "reflection") {
    const id = `hc-edit-${word.id}`;
    const area = h("textarea", { id, rows: 4 });
    const draft = phone.draft(`edit-${word.id}`);
    area.value = draft ? draft.text : word.text;
    area.addEventListener("input", () => phone.keepDraft(`edit-${word.id}`, { text: area.value }));
    const save = h("button", { type: "button", class: "hc-primary", text: s["phone.save_changes"] });
    save.addEventListener("click", async () => {
      if (save.getAttribute("aria-busy") === "true") {
        return;
      }
      save.setAttribute("aria-busy", "true");
      say.busy(s["phone.sending"]);
      const { status, answer } = await phone.post("edit", phone.body({ id: word.id, text: area.value }));
      save.removeAttribute("aria-busy");
      if (status === 200 && answer) {
        phone.forgetDraft(`edit-${word.id}`);
        phone.editing = null;
        phone.say(answer.message || "");
        phone.written(answer);
      } else {
        say.failed(phone.refused(status, answer));
      }
    });
    const cancel = h("button", { type: "button", class: "hc-secondary", text: s["phone.edit_cancel"] });
    cancel.addEventListener("click", () => {
      phone.forgetDraft(`edit-${word.id}`);
      phone.editing = null;
      phone.render();
    });
    item.append(h("div", { class: "hc-field" }, h("label", { for: id, text: s["phone.edit_label"] }), area), h("div", { class: "hc-row" }, save, cancel));
  } else if (phone.confirming === word.id) {
    const yes = h("button", { type: "button", class: "hc-primary", text: s["phone.confirm_delete"] });
    yes.addEventListener("click", async () => {
      if (yes.getAttribute("aria-busy") === "true") {
        return;
      }
      yes.setAttribute("aria-busy", "true");
      const { status, answer } = await phone.post("delete", phone.body({ id: word.id }));
      yes.removeAttribute("aria-busy");
      if (status === 200 && answer) {
        phone.confirming = null;
        phone.say(answer.message || "");
        phone.written(answer);
      } else {
        say.failed(phone.refused(status, answer));
      }
    });
    const keep = h("button", { type: "button", class: "hc-secondary", text: s["phone.keep"] });
    keep.addEventListener("click", () => {
      phone.confirming = null;
      phone.render();
    });
    row.append(yes, keep);
  } else {
    if (word.kind === "reflection") {
      const edit = h("button", { type: "button", class: "hc-secondary" }, h("span", { "aria-hidden": "true", text: "\u270f\ufe0f " }), s["phone.edit"]);
      edit.addEventListener("click", () => {
        phone.editing = word.id;
        phone.confirming = null;
        phone.render();
      });
      row.append(edit);
    }
    const remove = h("button", { type: "button", class: "hc-secondary" }, h("span", { "aria-hidden": "true", text: "\ud83d\uddd1\ufe0f " }), s["phone.delete"]);
    remove.addEventListener("click", () => {
      phone.confirming = word.id;
      phone.editing = null;
      phone.render();
    });
    row.append(remove);
  }
  if (row.children.length) {
    item.append(row);
  }
  item.append(say.status, say.alert);
  return item;
}

// The private request to talk with the facilitator after the group; the person chooses to be known.
function talkCard(phone) {
  const s = phone.s;
  const body = h("div");
  const el = h("div", { class: "hc-block hc-talk" }, body);
  let drawn = null;
  function update() {
    const asked = Boolean(phone.mine && phone.mine.talk);
    if (drawn === asked) {
      return;
    }
    drawn = asked;
    const say = feedback();
    if (asked) {
      const cancel = h("button", { type: "button", class: "hc-secondary", text: s["phone.talk_withdraw"] });
      cancel.addEventListener("click", () => send(false, cancel, say));
      body.replaceChildren(note("ok", s["phone.talk_requested"]), cancel, say.status, say.alert);
      return;
    }
    const id = "hc-talk-note";
    const input = h("input", { id, type: "text", autocomplete: "off", maxlength: phone.setup.limits.note });
    input.value = (phone.draft("talk") || {}).text || "";
    input.addEventListener("input", () => phone.keepDraft("talk", { text: input.value }));
    const ask = h("button", { type: "button", class: "hc-secondary" }, h("span", { "aria-hidden": "true", text: "\ud83e\udd1d " }), s["phone.talk_button"]);
    ask.addEventListener("click", () => send(true, ask, say, input));
    body.replaceChildren(
      h("h2", { text: s["phone.talk_title"] }),
      h("p", { class: "hc-caption", text: s["phone.talk_explain"] }),
      h("div", { class: "hc-field" }, h("label", { for: id, text: fmt(s["phone.talk_note"], { limit: phone.setup.limits.note }) }), input),
      ask,
      say.status,
      say.alert,
    );
  }
  async function send(on, button, say, input) {
    if (button.getAttribute("aria-busy") === "true") {
      return;
    }
    button.setAttribute("aria-busy", "true");
    const { status, answer } = await phone.post("talk", phone.body({ on, note: input ? input.value : "" }));
    button.removeAttribute("aria-busy");
    if (status === 200 && answer) {
      phone.forgetDraft("talk");
      phone.say(answer.message || "");
      phone.written(answer);
    } else {
      say.failed(phone.refused(status, answer));
    }
  }
  return { el, update };
}

// Consent, before the phone has a place: what joining means, then one tap.
function consentScreen(phone, title) {
  const s = phone.s;
  const parts = (phone.setup.consent || []).map((part) => {
    const runs = (item) => item.map(([bold, text]) => (bold ? h("strong", { text }) : text));
    return part.list ? h("ul", { class: "hc-list" }, part.items.map((item) => h("li", {}, runs(item)))) : h("p", {}, runs(part.items[0] || []));
  });
  const button = h("button", { type: "button", class: "hc-primary hc-wide" }, h("span", { "aria-hidden": "true", text: "\u27a1\ufe0f " }), s["consent.join"]);
  const say = feedback();
  button.addEventListener("click", () => phone.join(button, say));
  return h(
    "section",
    {},
    h("h1", { class: "hc-session-title", text: title }),
    parts,
    button,
    say.status,
    say.alert,
    h("p", { class: "hc-caption", text: s["consent.not_now"] }),
    h("p", {}, h("a", { class: "hc-link", href: phone.setup.privacy }, h("span", { "aria-hidden": "true", text: "\ud83d\udee1\ufe0f " }), s["privacy.link"])),
  );
}
