// The hope board on a participant's phone: the cards, each with its "me too" button, drawn as
// one element (see hopecircle/ui/phone_board.py, `board_cards`).
//
// As Streamlit elements a page of twelve cards was two dozen: every redraw of every phone built,
// sent and drew each of them. Here Python sends the cards once as data and this draws them.
// Participants' words are set as text (`textContent`), never parsed as HTML or Markdown.
// A tap sends the card's id ("toggle"); the button says it is on its way (aria-busy) and takes
// no second tap until the redraw that answers it, so a double tap cannot undo itself.
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
  list.setAttribute("aria-label", (data && data.label) || "");
  list.hidden = cards.length === 0;

  const drawn = new Map();
  for (const item of list.children) {
    drawn.set(item.dataset.id, item);
  }
  const items = cards.map((card) => {
    const item = drawn.get(String(card.id)) || newCard(card.id, setTriggerValue);
    item.querySelector(".hc-text").textContent = card.text;
    const button = item.querySelector("button");
    button.querySelector(".hc-label").textContent = card.label;
    button.querySelector(".hc-heart").textContent = card.added ? "\u2665" : "\u2661";
    button.setAttribute("aria-pressed", card.added ? "true" : "false");
    ready(button); // this redraw answers any tap under way
    return item;
  });
  const same = items.length === list.children.length && items.every((item, n) => list.children[n] === item);
  if (!same) {
    // Moving a card that holds the focus would drop it: cards stay put unless the order changed.
    list.replaceChildren(...items);
  }
  return undefined;
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

function newCard(id, setTriggerValue) {
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
    setTriggerValue("toggle", id);
  });
  item.append(text, button);
  return item;
}

function ready(button) {
  clearTimeout(button.hcBusy);
  button.removeAttribute("aria-busy");
}
