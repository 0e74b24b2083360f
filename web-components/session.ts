// The token: from the address's fragment (`#token=…`, as `ratebook serve` prints it), then taken
// out of the address bar so it is not bookmarked, shared or kept in history; kept for this tab's
// session in sessionStorage; or typed into the token form.

const KEY = 'ratebook.token';

/** `#token=abc` → `{token: 'abc', rest: ''}`; `#token=abc&/runs` style extras are kept as `rest`. */
export function tokenFromFragment(hash: string): { token: string | null; rest: string } {
  const m = /^#token=([^&]*)(?:&(.*))?$/.exec(hash);
  if (!m) return { token: null, rest: hash };
  let token: string;
  try {
    token = decodeURIComponent(m[1]).trim();
  } catch {
    token = m[1].trim();
  }
  const rest = m[2] ? `#${m[2]}` : '';
  return { token: token || null, rest };
}

export interface SessionPlace {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

const browser = (): SessionPlace => ({ location: window.location, history: window.history, storage: window.sessionStorage });

/** The token to use: the fragment's (stored, and removed from the address bar) or the session's. */
export function takeToken(place: SessionPlace = browser()): string | null {
  const { token, rest } = tokenFromFragment(place.location.hash);
  if (token) {
    place.storage.setItem(KEY, token);
    place.history.replaceState(place.history.state, '', place.location.pathname + place.location.search + rest);
    return token;
  }
  return place.storage.getItem(KEY);
}

export const keepToken = (token: string, place: SessionPlace = browser()): void => place.storage.setItem(KEY, token);
export const forgetToken = (place: SessionPlace = browser()): void => place.storage.removeItem(KEY);
