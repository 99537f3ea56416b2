// The console's countdown for the room's phase (see hopecircle/ui/console_timer.py).
//
// It ticks in the browser, once a second, from the phase's start and the server's clock (sent
// with the data, so a laptop clock that is off does not matter): mm:ss left, amber in the last
// minute or the last fifth of the planned time, red and "+mm:ss over" once over. The same rule
// is `plans.countdown` in Python, which drew the first state. The clock itself is a `timer`
// (not read out every second); a polite live line says when time is nearly up and when it is up.
// With the chime on, a soft sound plays once when the time is up.

export default function (component) {
  const { data, parentElement } = component;
  if (parentElement.hcCountdownStop) {
    parentElement.hcCountdownStop();
  }
  if (!data) {
    return undefined;
  }
  let root = parentElement.querySelector(".hc-countdown");
  if (!root) {
    root = document.createElement("div");
    root.className = "hc-countdown";
    const clock = document.createElement("div");
    clock.className = "hc-clock";
    clock.setAttribute("role", "timer");
    const status = document.createElement("div");
    status.className = "hc-countdown-status";
    status.setAttribute("aria-live", "polite");
    root.append(clock, status);
    parentElement.append(root);
  }
  const clock = root.querySelector(".hc-clock");
  const status = root.querySelector(".hc-countdown-status");
  clock.setAttribute("aria-label", data.name);
  const offset = data.now - Date.now();
  const pad = (n) => String(n).padStart(2, "0");
  const mmss = (seconds) => `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`;
  const state = () => {
    const elapsed = Math.max(0, Math.floor((Date.now() + offset - data.started) / 1000));
    if (!data.planned) {
      return { tone: "none", text: data.labels.elapsed.replace("{time}", mmss(elapsed)), past: 0 };
    }
    const left = data.planned - elapsed;
    if (left < 0) {
      return { tone: "over", text: data.labels.over.replace("{time}", mmss(-left)), past: -left };
    }
    const tone = left <= Math.max(60, data.planned * 0.2) ? "near" : "calm";
    return { tone, text: data.labels.left.replace("{time}", mmss(left)), past: 0 };
  };
  const chimed = `hc-chimed-${data.id}`;
  const chime = () => {
    if (!data.chime || sessionStorage.getItem(chimed)) {
      return;
    }
    sessionStorage.setItem(chimed, "1");
    new Audio(data.chime).play().catch(() => {}); // a browser that blocks sound: the clock still turns red
  };
  let shown = null;
  const tick = () => {
    const now = state();
    clock.textContent = now.text;
    root.dataset.tone = now.tone;
    if (shown !== null && now.tone !== shown) {
      status.textContent = now.tone === "near" ? data.labels.near : now.tone === "over" ? data.labels.up : "";
    }
    if (now.tone === "over" && (shown === "near" || shown === "calm" || (shown === null && now.past <= 2))) {
      chime();
    }
    shown = now.tone;
  };
  tick();
  const timer = setInterval(tick, 1000);
  const stop = () => {
    clearInterval(timer);
    if (parentElement.hcCountdownStop === stop) {
      delete parentElement.hcCountdownStop;
    }
  };
  parentElement.hcCountdownStop = stop;
  return stop;
}
