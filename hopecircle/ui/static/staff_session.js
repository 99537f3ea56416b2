// Keeps a staff browser signed in, or signs it out (see hopecircle/ui/auth.py and
// hopecircle/http/staff.py).
//
// Streamlit talks over a WebSocket and cannot set a cookie, so this posts to the app's own
// endpoint, whose answer sets (or clears) the cookie. The cookie is HttpOnly: this script never
// sees it. `data`: {"id", "url", "body"} (the body already JSON). Each id is posted once per
// page: a redraw while the answer is on its way must not post a one-time ticket again. When
// done it tells the page whether the browser now holds (or no longer holds) its sign-in.
const ATTEMPTS = 3;
const posted = new Set();

export default function (component) {
  const { data, setTriggerValue } = component;
  if (!data || !data.id || !data.url || posted.has(data.id)) {
    return undefined;
  }
  posted.add(data.id);
  post(data).then((ok) => setTriggerValue("done", { id: data.id, ok }));
  return undefined;
}

async function post(data) {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    try {
      const response = await fetch(data.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: data.body,
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        return true;
      }
      if (response.status < 500) {
        return false; // refused (a ticket used or too old): asking again changes nothing
      }
    } catch (error) {
      // offline for a moment, or the server restarting: ask again shortly
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
  }
  return false;
}
