// A phone's watch on its room between redraws (see hopecircle/ui/room_watch.py).
//
// It asks the server over plain HTTP whether the room has moved on from what this screen shows
// (`seen`, in the URL). The server holds the question until the room changes, or for a while
// (then the answer is the same signature and "ask again": `every` 0); a phone waiting costs the
// server nothing. When the answer differs, it wakes the page's room screen (a Streamlit
// fragment run), which redraws and mounts a new watch.
// Without an answer (no endpoint, a proxy that does not pass it, a moment offline) it wakes
// the room screen every `every` seconds all the same, and the screen reads the room itself.
const SHORTEST_WAIT = 0.25; // seconds between questions, whatever an answer says
// After an answer woke the screen, its redraw mounts a new watch within a moment and this one
// stops. Asking again sooner would wake it again while a slow redraw is still running, and
// each wake would start the redraw over.
const AFTER_WAKE = 10;

export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  if (parentElement.hcRoomWatchStop) {
    parentElement.hcRoomWatchStop(); // a redraw brought new data: one watch per screen
  }
  if (!data || !(data.every > 0)) {
    return undefined;
  }
  let stopped = false;
  let timer = null;
  const asking = new AbortController();

  const wake = (signature) => {
    if (!stopped) {
      setTriggerValue("changed", signature);
    }
  };
  const schedule = (seconds) => {
    if (!stopped) {
      timer = setTimeout(check, Math.max(seconds, SHORTEST_WAIT) * 1000);
    }
  };
  const check = async () => {
    if (stopped) {
      return;
    }
    let signature = "";
    let next = data.every;
    if (data.url) {
      try {
        const response = await fetch(data.url, {
          cache: "no-store",
          credentials: "same-origin",
          signal: asking.signal,
        });
        if (response.ok) {
          const answer = await response.json();
          signature = answer.signature || "";
          if (answer.every >= 0 && signature === data.seen) {
            next = answer.every; // unchanged: ask again when the server says (at once after a held question)
          }
        }
      } catch (error) {
        signature = ""; // stopped, offline or refused: wake and let the screen read the room
      }
    }
    if (stopped) {
      return;
    }
    if (signature !== data.seen) {
      wake(signature);
      if (signature) {
        next = Math.max(next, AFTER_WAKE); // answered: the redraw will replace this watch
      }
    }
    schedule(next);
  };

  if (data.url) {
    check(); // the server holds the question: ask at once
  } else {
    schedule(data.every);
  }
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    asking.abort(); // the server lets go of a question nobody will read
    if (parentElement.hcRoomWatchStop === stop) {
      delete parentElement.hcRoomWatchStop;
    }
  };
  parentElement.hcRoomWatchStop = stop;
  return stop;
}
