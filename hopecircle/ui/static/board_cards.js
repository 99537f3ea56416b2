// The hope board on a participant's phone: the cards, each with its "me too" button, drawn as
// one element (see hopecircle/ui/phone_board.py, `board_cards`).
//
// As Streamlit elements a page of twelve cards was two dozen: every redraw of every phone built,
// sent and drew each of them. Here Python sends the cards once as data and this draws them.
// Participants' words are set as text (`textContent`), never parsed as HTML or Markdown.
// A tap says what the phone wants ("me too" on, or taken back) for the card: posted over HTTP when
// the server takes it (`data.url`, hopecircle/ui/phone_api.py: the answer's count and label are
// drawn at once, with no script run), otherwise, or when the post gets no answer, sent to the
// page's script ("metoo"). The button says it is on its way (aria-busy) and takes no second tap
// until it is answered, so a double tap cannot undo itself.
const BUSY_SECONDS = 8; // a tap no redraw answered (offline a moment): the button takes taps again

export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  let list = parentElement.querySelector("ul.hc-cards");
  if (!list) {
    list = document.createElement("ul");
    list.className = "hc-cards";
    parentElement.appendChild(list);
  }
  const cards = parsed(data && data.cards);
  list.hcData = data || {}; // a tap reads the newest data (where to post, in which language)
  list.setAttribute("aria-label", (data && data.label) || "");
  list.hidden = cards.length === 0;

  const drawn = new Map();
  for (const item of list.children) {
    drawn.set(item.dataset.id, item);
  }
  const items = cards.map((card) => {
    const item = drawn.get(String(card.id)) || newCard(card.id, list, setTriggerValue);
    item.querySelector(".hc-text").textContent = card.text;
    const button = item.querySelector("button");
    show(button, card.added, card.label);
    ready(button); // this redraw answers any tap under way
    return item;
  });
  const same = items.length === list.children.length && items.every((item, n) => list.children[n] === item);
  if (!same) {
    // Moving a card that holds the focus would drop it: cards stay put unless the order changed.
    list.replaceChildren(...items);
  }
  let alert = parentElement.querySelector("p.hc-cards-alert");
  if (!alert) {
    alert = document.createElement("p");
    alert.className = "hc-cards-alert";
    alert.setAttribute("role", "alert");
    parentElement.appendChild(alert);
  }
  alert.textContent = "";
  return undefined;
}

function show(button, added, label) {
  button.querySelector(".hc-label").textContent = label;
  button.querySelector(".hc-heart").textContent = added ? "\u2665" : "\u2661";
  button.setAttribute("aria-pressed", added ? "true" : "false");
}

// The cards come as a JSON string (see board_cards in phone_board.py).
function parsed(cards) {
  try {
    const list = typeof cards === "string" ? JSON.parse(cards) : cards;
    return Array.isArray(list) ? list : [];
  } catch (error) {
    return [];
  }
}

function newCard(id, list, setTriggerValue) {
  const item = document.createElement("li");
  item.className = "hc-card";
  item.dataset.id = String(id);
  const text = document.createElement("div");
  text.className = "hc-text";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "hc-me-too";
  const heart = document.createElement("span");
  heart.className = "hc-heart";
  heart.setAttribute("aria-hidden", "true");
  const label = document.createElement("span");
  label.className = "hc-label";
  button.append(heart, label);
  button.addEventListener("click", () => {
    if (button.getAttribute("aria-busy") === "true") {
      return; // the first tap is on its way
    }
    button.setAttribute("aria-busy", "true");
    button.hcBusy = setTimeout(() => ready(button), BUSY_SECONDS * 1000);
    const wish = { card: id, on: button.getAttribute("aria-pressed") !== "true" };
    const data = list.hcData;
    if (!data.url) {
      setTriggerValue("metoo", wish);
      return;
    }
    post(data, wish).then((answer) => {
      const alert = list.parentNode && list.parentNode.querySelector("p.hc-cards-alert");
      if (answer && answer.label) {
        show(button, answer.added === true, answer.label);
        ready(button);
      } else if (answer && answer.message) {
        if (alert) {
          alert.textContent = answer.message; // the card left the board, the session ended...
        }
        ready(button);
      } else {
        setTriggerValue("metoo", wish); // no answer: the page's script says it the same way
      }
    });
  });
  item.append(text, button);
  return item;
}

// The answer to a posted "me too": {added, count, label}, {error, message}, or null (no answer).
async function post(data, wish) {
  try {
    const response = await fetch(data.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      cache: "no-store",
      body: JSON.stringify({ token: data.token, card: wish.card, on: wish.on, lang: data.lang }),
    });
    if (response.status >= 500) {
      return null;
    }
    return await response.json();
  } catch (error) {
    return null;
  }
}

function ready(button) {
  clearTimeout(button.hcBusy);
  button.removeAttribute("aria-busy");
}
