// Small DOM helpers: every value is set as text, never as HTML.

/** `el('td', {class: 'num', 'data-testid': 'x'}, 'text', child)`; `on*` attributes become listeners. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : text(child));
  return node;
}

function text(value) {
  return document.createTextNode(value === undefined || value === null || value === '' ? '—' : String(value));
}

/** Fraction digits shown: venue prices and sizes have fewer, computed averages and costs may have 40. */
const SHOWN_DIGITS = 10;
const LONG_DECIMAL = new RegExp(`^(-?\\d+\\.\\d{${SHOWN_DIGITS}})\\d+$`);

/**
 * A numeric cell. A decimal string with more than SHOWN_DIGITS fraction digits is cut there (never
 * rounded through a float) and marked "…"; the exact value is the cell's title.
 */
export function num(value, attributes = {}) {
  const exact = value === undefined || value === null ? value : String(value);
  const cut = typeof exact === 'string' ? LONG_DECIMAL.exec(exact) : null;
  return el('td', { class: 'num', ...(cut && { title: exact }), ...attributes }, cut ? `${cut[1]}…` : exact);
}

/**
 * A decimal string rounded half away from zero to `places` fraction digits, on its digits (never
 * through a float); the value itself when either is unknown or it is not a plain decimal.
 */
export function rounded(value, places) {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(String(value ?? ''));
  if (!match || places === null || places === undefined) return value;
  const [, sign, whole, fraction = ''] = match;
  // The digits scaled to one place more than kept, then rounded on that place.
  const scaled = (BigInt(whole + fraction.padEnd(places + 1, '0').slice(0, places + 1)) + 5n) / 10n;
  const digits = scaled.toString().padStart(places + 1, '0');
  const text = places > 0 ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return scaled === 0n ? text : `${sign}${text}`;
}

/** A numeric cell rounded to `places` for a person, the exact value its title. */
export function roundedNum(value, places, attributes = {}) {
  const shown = rounded(value, places);
  return num(shown, { ...(shown !== value && { title: value }), ...attributes });
}

/** Cells rounded to an instrument's precision, from a route's `precision` map: prices (and quote amounts), quantities. */
export function roundedCells(precision, instrument) {
  const places = precision[instrument] ?? {};
  return {
    price: (value, attributes) => roundedNum(value, places.price, attributes),
    quantity: (value, attributes) => roundedNum(value, places.quantity, attributes),
  };
}

export const venueBadge = (venue) => el('span', { class: 'venue-badge', 'data-testid': 'venue-badge' }, venue);

export const sideBadge = (side) => el('span', { class: `side side-${String(side).toLowerCase()}` }, side);

export const stateBadge = (state) => el('span', { class: `state state-${String(state).toLowerCase()}` }, state);

export function time(ms) {
  return ms ? new Date(ms).toLocaleTimeString(undefined, { hour12: false }) : '—';
}

/** Replaces a tbody's rows; an empty list shows one muted line. */
export function fillRows(tbody, rows, empty) {
  const columns = tbody.closest('table')?.querySelectorAll('thead th').length || 1;
  tbody.replaceChildren(...(rows.length > 0 ? rows : [el('tr', { class: 'empty' }, el('td', { colspan: columns }, empty))]));
}

export const byId = (id) => document.getElementById(id);
