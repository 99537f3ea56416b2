// What the projector shows below its heading, fitted to the screen it is on (see
// hopecircle/ui/projector_fit.py): the board's cards, a story screen, the agreements, the
// check-in words.
//
// Only the browser knows how big the screen is and how big a text comes out, so this measures:
// it picks the largest type, between the wall's smallest (`min`, a share of the screen's height)
// and `max`, at which everything fits between its own top and the crisis line at the bottom.
// Cards go in columns (each card in the shortest column), with the number of columns chosen
// with the type. What does not fit at the smallest type goes on pages that turn by themselves,
// with "2 / 3" and a pause button (and P on either window, hands_free.js); a story screen,
// which the facilitator steps through, never turns: it is split by the server to fit.
// Every text is set with `textContent`: words arrive as data, never as markup.
const SAFETY = 6; // px kept free above the crisis line
const LOOK_EVERY = 400; // ms between looks at whether the space changed (a heading reflowed, an image loaded)
const NEW_CARD_SECONDS = 12; // how long a newly approved card stays marked
const ARRIVING = 1200; // ms a newly approved card takes to move in (the stylesheet's hc-arrive)
const PAUSE_EVENT = "hc-projector-pause";

export default function (component) {
  const { data, parentElement } = component;
  const spec = parsed(data && data.spec);
  let state = parentElement.hcFit;
  if (!state) {
    state = parentElement.hcFit = start(parentElement);
  }
  state.spec = spec;
  state.landing = arrivals(state, spec);
  state.signature = ""; // lay out again with the new data
  refit(state);
  return () => stop(state);
}

function parsed(text) {
  try {
    const spec = JSON.parse(text || "{}");
    spec.items = Array.isArray(spec.items) ? spec.items : [];
    return spec;
  } catch (error) {
    return { items: [] };
  }
}

function start(root) {
  const [section, stage, pager] = [made("section", "hc-fit"), made("div", "hc-stage"), made("div", "hc-pager")];
  pager.hidden = true;
  const [previous, next, pause] = ["hc-page-previous", "hc-page-next", "hc-pause"].map(button);
  const where = made("span", "hc-page-of");
  const shown = made("span", "");
  shown.setAttribute("aria-hidden", "true");
  where.append(shown, made("span", "hc-unseen")); // "2 / 3" shown, "Page 2 of 3" said
  pager.append(previous, where, next, pause);
  section.append(stage, pager);
  const measure = made("div", "hc-measure");
  measure.setAttribute("aria-hidden", "true");
  root.append(section, measure);

  const state = { root, section, stage, pager, where, pause, measure, page: 0, pages: [[]], paused: false };
  state.seen = null; // card ids shown before (null until the first drawing)
  state.fresh = new Map(); // card id -> when it arrived, for the last NEW_CARD_SECONDS: marked
  state.reduced = matchMedia("(prefers-reduced-motion: reduce)");
  previous.addEventListener("click", () => turn(state, -1));
  next.addEventListener("click", () => turn(state, 1));
  pause.addEventListener("click", () => setPaused(state, !state.paused));
  state.onPause = () => setPaused(state, !state.paused);
  window.addEventListener(PAUSE_EVENT, state.onPause);
  state.look = setInterval(() => refit(state), LOOK_EVERY);
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(() => {
      state.signature = "";
      refit(state);
    });
  }
  return state;
}

function stop(state) {
  clearInterval(state.look);
  clearTimeout(state.timer);
  window.removeEventListener(PAUSE_EVENT, state.onPause);
  if (state.channel) {
    state.channel.close();
  }
  delete state.root.hcFit;
}

function made(tag, className, text) {
  const element = document.createElement(tag);
  element.className = className;
  if (text !== undefined) {
    element.textContent = text || "";
  }
  return element;
}

function button(className) {
  const element = made("button", className);
  element.type = "button";
  return element;
}

// Cards not shown before on this screen (none on its first drawing): marked for a while.
function arrivals(state, spec) {
  if (spec.layout !== "cards") {
    return [];
  }
  const ids = spec.items.map((item) => String(item.id));
  const fresh = state.seen === null ? [] : ids.filter((id) => !state.seen.has(id));
  state.seen = new Set([...(state.seen || []), ...ids]);
  for (const id of fresh) {
    state.fresh.set(id, Date.now());
    setTimeout(() => {
      state.fresh.delete(id);
      const shown = state.stage.querySelector(`[data-card="${CSS.escape(id)}"]`);
      if (shown) {
        shown.classList.remove("hc-new", "hc-arrive");
      }
    }, NEW_CARD_SECONDS * 1000);
  }
  return fresh;
}

// The room this element has: its own width, and from its top down to the crisis line.
function space(state) {
  const host = state.root.host || state.root;
  const box = host.getBoundingClientRect();
  const footer = document.querySelector(".hc-footer");
  const bottom = footer && footer.getClientRects().length ? footer.getBoundingClientRect().top : window.innerHeight;
  return { width: Math.floor(box.width), height: Math.floor(bottom - box.top - SAFETY), screen: window.innerHeight };
}

function refit(state) {
  const room = space(state);
  if (room.width < 40 || room.height < 40) {
    return; // not laid out yet
  }
  const signature = `${room.width}x${room.height}x${room.screen}`;
  if (signature === state.signature) {
    return;
  }
  state.signature = signature;
  const spec = state.spec;
  const minimum = Math.max(1, Math.floor((room.screen * spec.min) / 100));
  const maximum = Math.max(minimum, Math.floor((room.screen * spec.max) / 100));
  state.section.style.setProperty("--hc-min-type", `${minimum}px`);
  state.section.dataset.layout = spec.layout || "flow";
  if (spec.label) {
    state.section.setAttribute("aria-label", spec.label); // a named region: "Our hope board"
  } else {
    state.section.removeAttribute("aria-label");
  }
  state.heights = new Map();
  labelPager(state);
  const plan = plan_(state, room, minimum, maximum);
  state.plan = plan;
  state.section.style.fontSize = `${plan.font}px`;
  state.section.dataset.font = String(plan.font);
  state.section.dataset.minimum = String(minimum);
  state.section.dataset.pages = String(plan.pages.length);
  state.pages = plan.pages;
  // Newly approved cards are shown at once: the page they landed on comes up now.
  const landing = state.landing || [];
  const found = plan.pages.findIndex((page) => page.some((n) => landing.includes(String(spec.items[n].id))));
  state.landing = [];
  state.page = found >= 0 ? found : Math.min(state.page, plan.pages.length - 1);
  show(state, false);
  schedule(state);
}

// The type size, the columns and the pages for this room.
function plan_(state, room, minimum, maximum) {
  const spec = state.spec;
  const count = spec.items.length;
  const all = [...Array(count).keys()];
  const fits = (font) => arrange(state, all, font, room.width).height <= room.height;
  const whole = (font) => ({ font, width: room.width, pages: [all], columns: arrange(state, all, font, room.width).columns });
  if (count === 0) {
    return { font: minimum, width: room.width, pages: [[]], columns: 1 };
  }
  if (fits(minimum)) {
    return whole(largest(minimum, maximum, fits));
  }
  if (spec.overflow !== "pages") {
    // A story screen is cut to fit by the server; smaller type is the last resort on a screen
    // smaller than any the projector is made for, and it is never cut off.
    return whole(largest(Math.max(6, Math.floor(minimum / 3)), minimum, fits));
  }
  // The pager's line is at the smallest type whatever the cards' size.
  state.pager.hidden = false;
  const height = room.height - Math.ceil(state.pager.getBoundingClientRect().height);
  const fewest = paginate(state, minimum, room.width, height).pages.length;
  const font = largest(minimum, maximum, (size) => paginate(state, size, room.width, height).pages.length <= fewest);
  return { font, width: room.width, ...paginate(state, font, room.width, height) };
}

// The largest whole pixel size from `low` to `high` for which `ok` holds (`ok(low)` is true).
function largest(low, high, ok) {
  if (ok(high)) {
    return high;
  }
  let [good, bad] = [low, high];
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (ok(middle)) {
      good = middle;
    } else {
      bad = middle;
    }
  }
  return good;
}

// How `indices` lay out at `font`: {height, columns}.
function arrange(state, indices, font, width) {
  if (state.spec.layout === "cards") {
    let best = null;
    for (const columns of columnChoices(font, width)) {
      const heights = cardHeights(state, font, columnWidth(font, width, columns));
      const height = masonry(indices.map((n) => heights[n]), columns, font).height;
      if (!best || height < best.height) {
        best = { height, columns };
      }
    }
    return best;
  }
  return { height: flowHeight(state, indices, font, width), columns: 1 };
}

function columnChoices(font, width) {
  // A card column is 9 to 22 times the type size wide: narrower wraps every other word,
  // wider makes lines too long to follow from the back of the room.
  const fewest = Math.max(1, Math.ceil(width / (22 * font)));
  const most = Math.min(Math.max(fewest, Math.floor(width / (9 * font))), fewest + 5);
  return Array.from({ length: most - fewest + 1 }, (_, n) => fewest + n);
}

function columnWidth(font, width, columns) {
  return Math.floor((width - (columns - 1) * gap(font)) / columns);
}

function gap(font) {
  return Math.round(font * 0.6);
}

// Each card placed in the shortest column, in board order: {height, columns: [[index...]...]}.
function masonry(heights, columns, font) {
  const tops = new Array(columns).fill(0);
  const placed = [...Array(columns)].map(() => []);
  heights.forEach((height, n) => {
    const column = tops.indexOf(Math.min(...tops));
    tops[column] += (placed[column].length ? gap(font) : 0) + height;
    placed[column].push(n);
  });
  return { height: Math.max(...tops), columns: placed };
}

// The heights of `nodes` drawn at `font` in a box `width` wide, off the screen, in one layout pass.
function measured(state, nodes, font, width) {
  const measure = state.measure;
  measure.replaceChildren(...nodes);
  measure.style.fontSize = `${font}px`;
  measure.style.width = `${width}px`;
  measure.style.setProperty("--hc-min-type", state.section.style.getPropertyValue("--hc-min-type"));
  const heights = nodes.map((node) => node.getBoundingClientRect().height);
  measure.replaceChildren();
  return heights;
}

// The height of every card at `font` in a column `width` wide.
function cardHeights(state, font, width) {
  const key = `${font}|${width}`;
  if (!state.heights.has(key)) {
    state.heights.set(key, measured(state, state.spec.items.map(cardElement), font, width));
  }
  return state.heights.get(key);
}

function flowHeight(state, indices, font, width) {
  return measured(state, [flowPage(state, indices)], font, width)[0];
}

// Pages of items in order, each as many as fit `height` (items marked `keep`, such as a list's
// title, head every page).
function paginate(state, font, width, height) {
  const spec = state.spec;
  const kept = spec.items.map((item, n) => (item.keep ? n : -1)).filter((n) => n >= 0);
  const rest = spec.items.map((item, n) => n).filter((n) => !spec.items[n].keep);
  if (spec.layout === "cards") {
    return paginateCards(state, rest, font, width, height);
  }
  const pages = [];
  let page = [...kept];
  for (const n of rest) {
    const trial = [...page, n];
    if (page.length > kept.length && flowHeight(state, trial, font, width) > height) {
      pages.push(page);
      page = [...kept, n];
    } else {
      page = trial;
    }
  }
  pages.push(page);
  return { pages, columns: 1 };
}

// Cards on pages, each page filled with the next cards in board order that fit it (a short card
// can fill the gap a long one left); the number of columns that needs the fewest pages.
function paginateCards(state, indices, font, width, height) {
  let best = null;
  for (const columns of columnChoices(font, width)) {
    const heights = cardHeights(state, font, columnWidth(font, width, columns));
    const pages = [];
    let left = indices;
    while (left.length) {
      const page = [];
      const rest = [];
      for (const n of left) {
        const trial = [...page, n];
        if (!page.length || masonry(trial.map((i) => heights[i]), columns, font).height <= height) {
          page.push(n);
        } else {
          rest.push(n);
        }
      }
      pages.push(page);
      left = rest;
    }
    if (!best || pages.length < best.pages.length) {
      best = { pages, columns };
    }
  }
  return best;
}

function cardElement(item) {
  const card = made("article", item.goal ? "hc-card hc-goal" : "hc-card");
  card.append(made("p", "hc-card-text", item.text));
  if (item.meta) {
    card.append(made("p", "hc-card-meta", item.meta));
  }
  return card;
}

// A page of flowing text: headings, paragraphs, list items (consecutive ones in one list) or words.
function flowPage(state, indices) {
  const spec = state.spec;
  const page = made("div", spec.layout === "cloud" ? "hc-page hc-cloud" : "hc-page");
  let list = null;
  for (const n of indices) {
    const item = spec.items[n];
    if (spec.layout === "cloud") {
      const word = made("span", "hc-word", item.text);
      word.style.fontSize = `${Math.max(1, Number(item.scale) || 1)}em`; // a word chosen more often is bigger
      page.append(word);
    } else if (item.tag === "li") {
      if (!list) {
        list = page.appendChild(made("ul", ""));
      }
      list.append(made("li", "", item.text));
    } else {
      list = null;
      page.append(made({ h1: "h1", h2: "h2" }[item.tag] || "p", `hc-${item.tag || "p"}`, item.text));
    }
  }
  return page;
}

function show(state, moving) {
  const spec = state.spec;
  const indices = state.pages[state.page] || [];
  if (spec.layout === "cards") {
    const { font, width, columns } = state.plan;
    const heights = cardHeights(state, font, columnWidth(font, width, columns));
    const placed = masonry(indices.map((n) => heights[n]), columns, font).columns;
    const row = made("div", "hc-columns");
    row.style.gap = `${gap(font)}px`;
    for (const column of placed) {
      const element = made("div", "hc-column");
      element.style.gap = `${gap(font)}px`;
      element.append(...column.map((k) => card(state, spec.items[indices[k]])));
      row.append(element);
    }
    state.stage.replaceChildren(row);
  } else {
    state.stage.replaceChildren(flowPage(state, indices));
  }
  state.where.firstChild.textContent = format(spec.labels && spec.labels.page, state);
  state.where.lastChild.textContent = format(spec.labels && spec.labels.page_name, state);
  state.pager.hidden = state.pages.length < 2;
  if (moving && !state.reduced.matches) {
    state.stage.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 450, easing: "ease-out" });
  }
}

// A card as drawn on the stage: a newly approved one marked, and moving in (none with reduced
// motion); drawn again while it moves (the room changed again), the movement carries on.
function card(state, item) {
  const id = String(item.id);
  const element = cardElement(item);
  element.dataset.card = id;
  if (state.fresh.has(id)) {
    element.classList.add("hc-new");
    const since = Date.now() - state.fresh.get(id);
    if (since < ARRIVING && !state.reduced.matches) {
      element.classList.add("hc-arrive");
      element.style.animationDelay = `-${since}ms`;
    }
  }
  return element;
}

function format(template, state) {
  return String(template || "{page} / {pages}")
    .replace("{page}", String(state.page + 1))
    .replace("{pages}", String(state.pages.length));
}

function labelPager(state) {
  const labels = state.spec.labels || {};
  for (const [name, shown, said] of [["previous", "‹", ""], ["next", "›", ""]]) {
    const control = state.pager.querySelector(`.hc-page-${name}`);
    control.textContent = labels[name] || shown;
    control.setAttribute("aria-label", labels[`${name}_name`] || said);
  }
  state.pause.textContent = state.paused ? labels.resume || "▶" : labels.pause || "❚❚";
  state.pager.dataset.paused = state.paused ? "true" : "false";
  if (state.spec.room && !state.channel && "BroadcastChannel" in window) {
    // P pressed in the console window (same browser) pauses the pages here too.
    state.channel = new BroadcastChannel(state.spec.room);
    state.channel.onmessage = (event) => {
      if (event.data && event.data.action === "pause") {
        state.onPause();
      }
    };
  }
}

function setPaused(state, paused) {
  if (state.pages.length < 2) {
    return;
  }
  state.paused = paused;
  labelPager(state);
  schedule(state);
}

function turn(state, by) {
  if (state.pages.length < 2) {
    return;
  }
  state.page = (state.page + by + state.pages.length) % state.pages.length;
  show(state, true);
  schedule(state);
}

// Pages turn by themselves, each kept for as long as its words take to read (between the
// spec's shortest and longest), unless paused. With reduced motion they turn without fading.
function schedule(state) {
  clearTimeout(state.timer);
  if (state.pages.length < 2 || state.paused) {
    return;
  }
  const spec = state.spec;
  const words = (state.pages[state.page] || []).reduce((sum, n) => sum + (spec.items[n].text || "").length, 0);
  const [shortest, longest, perSecond] = spec.rotate || [12, 40, 20];
  const seconds = Math.min(longest, Math.max(shortest, words / perSecond));
  state.timer = setTimeout(() => turn(state, 1), seconds * 1000);
}
