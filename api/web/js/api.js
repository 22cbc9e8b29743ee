// The board's only door to the server: JSON over /v1 with the planner's API key.
// Failures come back as data ({ ok: false, status, code, message }) so each panel can say what went wrong.

const KEY_STORAGE = 'takt.apiKey';

export function storedKey() {
  return localStorage.getItem(KEY_STORAGE);
}

export function storeKey(key) {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

/** Takes `?key=` from the address bar (demo links), keeps it, and removes it from the URL and history. */
export function adoptKeyFromUrl(location, history) {
  const url = new URL(location.href);
  const key = url.searchParams.get('key');
  if (!key) return false;
  storeKey(key);
  url.searchParams.delete('key');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return true;
}

async function request(method, path, body) {
  const headers = { accept: 'application/json' };
  const key = storedKey();
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    return { ok: false, status: 0, code: 'network', message: `Server unreachable (${error.message})` };
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.ok) return { ok: true, status: response.status, value: data };
  const error = data && data.error ? data.error : {};
  return {
    ok: false,
    status: response.status,
    code: error.code ?? `http_${response.status}`,
    message: error.message ?? (response.statusText || 'Request failed'),
    field: error.field,
  };
}

const plantPath = (plant) => `/v1/plants/${encodeURIComponent(plant)}`;

export const api = {
  plants: () => request('GET', '/v1/plants'),
  schedule: (plant) => request('GET', `${plantPath(plant)}/schedule`),
  plantState: (plant) => request('GET', `${plantPath(plant)}/state`),
  workOrder: (plant, id) => request('GET', `${plantPath(plant)}/work-orders/${encodeURIComponent(id)}`),
  reschedule: (plant, body) => request('POST', `${plantPath(plant)}/reschedule`, body),
  whatIf: (plant, body) => request('POST', `${plantPath(plant)}/what-if`, body),
  syncStatus: () => request('GET', '/v1/sync/status'),
  deadLetters: () => request('GET', '/v1/sync/dead-letters'),
  replay: (id) => request('POST', `/v1/sync/dead-letters/${encodeURIComponent(id)}/replay`),
  proposal: (plant) => request('GET', `${plantPath(plant)}/proposal`),
  decide: (plant, version, decision) => request('POST', `${plantPath(plant)}/versions/${version}/${decision}`),
};
