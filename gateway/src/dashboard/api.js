// The gateway API as the dashboard uses it. The API key comes in the URL fragment (`/#key=…`,
// which browsers never send to the server, so it is never logged) and is kept in this tab's
// sessionStorage; it goes out as X-API-Key, and as ?key= on the WebSocket (browsers cannot set
// headers there).
const STORAGE_KEY = 'crossvenue.key';

function readKey() {
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromFragment) {
    sessionStorage.setItem(STORAGE_KEY, fromFragment);
    history.replaceState(null, '', location.pathname);
  }
  const key = sessionStorage.getItem(STORAGE_KEY) || prompt('Crossvenue API key') || '';
  sessionStorage.setItem(STORAGE_KEY, key);
  return key;
}

const key = readKey();

/** An API error: the HTTP status and the gateway's `{code, message, field}`. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = error?.code;
    this.field = error?.field;
  }
}

async function request(method, path, body, headers) {
  const response = await fetch(path, {
    method,
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new ApiError(response.status, (await response.json().catch(() => ({}))).error);
  return response;
}

export async function api(method, path, body, headers = {}) {
  return (await request(method, path, body, headers)).json().catch(() => ({}));
}

/** A page the API serves (a saved backtest's HTML report), as text. */
export async function apiPage(path) {
  return (await request('GET', path, undefined, {})).text();
}

/** Live state changes from /stream; reconnects after a drop. `onStatus` gets 'live' or 'offline'. */
export function connectStream(onChange, onStatus) {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/stream?key=${encodeURIComponent(key)}`;
  const socket = new WebSocket(url);
  socket.addEventListener('open', () => onStatus('live'));
  socket.addEventListener('message', (message) => onChange(JSON.parse(message.data)));
  socket.addEventListener('close', () => {
    onStatus('offline');
    setTimeout(() => connectStream(onChange, onStatus), 2000);
  });
}
