// A phone's watch on its room between redraws (see hopecircle/ui/room_watch.py).
//
// Every `every` seconds it asks the server for the room's signature over plain HTTP, which
// costs the server about a millisecond, and wakes the page's watcher fragment (a Streamlit
// script run) only when the answer differs from the one this screen was drawn for. The answer
// also says when to look next (big rooms look less often).
// Without an answer (no endpoint, a proxy that does not pass it, a moment offline) it wakes
// the fragment every `every` seconds all the same, and the fragment reads the room itself.
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

  const wake = (signature) => {
    if (!stopped) {
      setTriggerValue("changed", signature);
    }
  };
  let every = data.every;
  const schedule = () => {
    timer = setTimeout(check, every * 1000);
  };
  const check = async () => {
    if (stopped) {
      return;
    }
    let signature = "";
    if (data.url) {
      try {
        const response = await fetch(data.url, { cache: "no-store", credentials: "same-origin" });
        if (response.ok) {
          const answer = await response.json();
          signature = answer.signature || "";
          if (answer.every > 0) {
            every = answer.every; // the room grew or shrank: look as often as the server asks
          }
        }
      } catch (error) {
        signature = "";
      }
    }
    if (signature !== data.seen) {
      wake(signature);
    }
    schedule();
  };

  schedule();
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    if (parentElement.hcRoomWatchStop === stop) {
      delete parentElement.hcRoomWatchStop;
    }
  };
  parentElement.hcRoomWatchStop = stop;
  return stop;
}
