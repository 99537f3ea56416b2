// Hope that carries over, on the phone: a next step kept on this device for the group's next
// meeting, the private question about it, and the mark "may open a future circle". Joined after
// phone_room_screens.js (it uses h, fmt, note, feedback, choiceGroup, chosen, choose).
//
// The step lives in this device's own storage (localStorage), beside the group's random key, and
// is never sent: the server cannot tell that two meetings saw the same phone.

const CARRY_KEY = "hopecircle.carry";
const HELPED_LIMIT = 200;

function carried() {
  try {
    const all = JSON.parse(localStorage.getItem(CARRY_KEY) || "{}");
    return all && typeof all === "object" ? all : {};
  } catch (error) {
    return {};
  }
}

function carriedStep(group) {
  const found = group ? carried()[group] : null;
  return found && typeof found.step === "string" ? found.step : "";
}

function keepCarried(group, step) {
  const all = carried();
  if (step) {
    all[group] = { step };
  } else {
    delete all[group];
  }
  try {
    localStorage.setItem(CARRY_KEY, JSON.stringify(all));
  } catch (error) {
    // Storage full or turned off: nothing is kept, and nothing else goes wrong.
  }
}

// At close, under the phone's own next step (a meeting of a recurring group only): off by default.
function remindBox(phone, saved) {
  const s = phone.s;
  const group = phone.mine.carry.group;
  const id = "hc-carry-remind";
  const box = h("input", { id, type: "checkbox", "aria-describedby": `${id}-note` });
  box.checked = carriedStep(group) !== "";
  if (box.checked) {
    keepCarried(group, saved.text); // the step as it stands now, if it was changed since
  }
  box.addEventListener("change", () => keepCarried(group, box.checked ? saved.text : ""));
  return h(
    "div",
    { class: "hc-block hc-remind" },
    h("div", { class: "hc-check" }, box, h("label", { for: id, text: s["carry.remind_label"] })),
    h("p", { class: "hc-caption", id: `${id}-note`, text: s["carry.remind_note"] }),
  );
}

// Whether this phone is asked, now, how last time's step went: before check-in, once.
function asksFollowUp(phone, phase) {
  const carry = phone.mine && phone.mine.carry;
  return Boolean(
    phone.room.open && carry && carry.asks && !carry.answered && (phase === "welcome" || phase === "checkin") && stored(phone.mark("carry-skip")) !== "1",
  );
}

// The private question: with the step this phone kept, or without it (a new phone takes part too).
function followUpCard(phone) {
  const s = phone.s;
  const group = phone.mine.carry.group;
  const step = carriedStep(group);
  const say = feedback();
  const draft = phone.draft("carry") || {};
  const send = h("button", { type: "submit", class: "hc-primary", text: s["carry.send"] });
  const answers = ["did_it", "partly", "not_yet", "rather_not"].map((value) => [value, s[`carry.answer_${value}`]]);
  const choice = choiceGroup("hc-carry-answer", step ? s["carry.question_how"] : s["carry.question_no_step"], answers, draft.answer, () => {
    send.disabled = !chosen(choice);
    phone.keepDraft("carry", { answer: chosen(choice) || "", helped: helped.value });
  });
  const id = "hc-carry-helped";
  const helped = h("textarea", { id, rows: 3, maxlength: HELPED_LIMIT, "aria-describedby": `${id}-help` });
  helped.value = draft.helped || "";
  helped.addEventListener("input", () => phone.keepDraft("carry", { answer: chosen(choice) || "", helped: helped.value }));
  send.disabled = !chosen(choice);
  const skip = h("button", { type: "button", class: "hc-secondary", text: s["carry.skip"] });
  skip.addEventListener("click", () => {
    keep(phone.mark("carry-skip"), "1");
    phone.render();
  });
  const form = h(
    "form",
    { class: "hc-form hc-block hc-carry", novalidate: true, "aria-labelledby": "hc-carry-title" },
    h("h2", { id: "hc-carry-title", text: step ? s["carry.question_step_intro"] : s["carry.question_no_step"] }),
    step ? h("div", { class: "hc-card hc-text", text: step }) : null,
    note("info", s["carry.question_private"]),
    choice,
    h(
      "div",
      { class: "hc-field" },
      h("label", { for: id, text: s["carry.helped_label"] }),
      helped,
      h("p", { class: "hc-caption", id: `${id}-help`, text: s["carry.helped_help"] }),
    ),
    h("div", { class: "hc-row" }, send, skip),
    say.status,
    say.alert,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = chosen(choice);
    if (!answer || send.getAttribute("aria-busy") === "true") {
      return;
    }
    send.setAttribute("aria-busy", "true");
    say.busy(s["phone.sending"]);
    const { status, answer: reply } = await phone.post("followup", phone.body({ answer, helped: helped.value }));
    send.removeAttribute("aria-busy");
    if (status === 200 && reply) {
      phone.forgetDraft("carry");
      keepCarried(group, ""); // asked and answered: the step has done its work on this phone
      phone.say(reply.message || "");
      phone.written(reply);
    } else {
      say.failed(phone.refused(status, reply));
    }
  });
  return form;
}

// On the phone's own reflection or next step: "may open a future circle" (off until tapped).
// Marking needs the session open; taking the mark back works always.
function passOnToggle(phone, word, open) {
  const s = phone.s;
  if ((word.kind !== "reflection" && word.kind !== "goal") || word.since || !(open || word.pass_on)) {
    return null;
  }
  const id = `hc-pass-on-${word.id}`;
  const button = h("button", { type: "button", class: "hc-pill", "aria-pressed": word.pass_on ? "true" : "false", "aria-describedby": `${id}-help` }, s["carry.pass_on_label"]);
  const say = feedback();
  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-busy") === "true") {
      return;
    }
    button.setAttribute("aria-busy", "true");
    const on = button.getAttribute("aria-pressed") !== "true";
    const { status, answer } = await phone.post("passon", phone.body({ card: word.id, on }));
    button.removeAttribute("aria-busy");
    if (status === 200 && answer) {
      phone.say(answer.label || "");
      phone.written(answer);
    } else {
      say.failed(phone.refused(status, answer));
    }
  });
  return h("div", { class: "hc-pass-on" }, button, h("p", { class: "hc-caption", id: `${id}-help`, text: s["carry.pass_on_help"] }), say.status, say.alert);
}
