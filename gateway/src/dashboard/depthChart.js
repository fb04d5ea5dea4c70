// The consolidated book of the ticket's instrument across venues (GET /charts/depth): cumulative
// depth from the touch outwards, stacked by venue, bids on the left and asks on the right; and,
// when the ticket holds an order, where the router would take liquidity for it (route_preview):
// a dashed line per leg at the furthest price it would reach on that venue.
import { api } from './api.js';
import { byId, el, venueBadge } from './dom.js';
import { draw, PALETTE, uPlot } from './chart.js';
import { currentOrder } from './ticket.js';

const LEVELS = 20;

/** What the chart's draw hook marks: the plan's legs, in their venues' colours. */
let legs = [];
let colours = new Map();

export async function refreshDepthChart() {
  const order = currentOrder();
  if (!order.instrument) return;
  const [{ venues }, plan] = await Promise.all([
    api('GET', `/charts/depth?instrument=${encodeURIComponent(order.instrument)}&limit=${LEVELS}`),
    // An incomplete or invalid ticket has no plan to show; the depth is drawn regardless.
    order.amount ? api('POST', '/execution/route_preview', order).catch(() => null) : null,
  ]);
  legs = plan?.legs ?? [];
  const container = byId('depth-chart');
  colours = new Map(venues.map(({ venue }, index) => [venue, PALETTE[index % PALETTE.length]]));
  container.dataset.venues = venues.filter(({ bids, asks }) => bids.length + asks.length > 0).map(({ venue }) => venue).join(',');
  container.dataset.legs = String(legs.length);
  byId('depth-title').textContent = order.instrument;
  byId('depth-legend').replaceChildren(
    ...venues.map(({ venue }) => el('span', { class: 'swatch', style: `--swatch: ${colours.get(venue)}` }, venueBadge(venue))),
    ...legs.map((leg) => el('span', { class: 'leg', 'data-testid': 'depth-leg', 'data-venue': leg.venue }, `${leg.venue}: ${leg.quantity} to ${leg.limitPrice ?? leg.expectedAveragePrice}`)),
  );

  const prices = [...new Set(venues.flatMap(({ bids, asks }) => [...bids, ...asks].map((level) => Number(level.price))))].sort((a, b) => a - b);
  const bestBid = Math.max(...venues.flatMap(({ bids }) => bids.slice(0, 1).map((level) => Number(level.price))));
  const bestAsk = Math.min(...venues.flatMap(({ asks }) => asks.slice(0, 1).map((level) => Number(level.price))));
  // Per venue, per price: what that venue offers from its touch to that price.
  const cumulative = (levels, reaches) => prices.map((price) => levels.reduce((sum, level) => (reaches(Number(level.price), price) ? sum + Number(level.quantity) : sum), 0));
  const own = venues.map(({ bids, asks }) => ({ bids: cumulative(bids, (level, price) => level >= price), asks: cumulative(asks, (level, price) => level <= price) }));
  // Stacked: layer k is venues 0..k; drawn widest first, so each venue's colour shows its own share.
  const layers = (side, visible) =>
    venues.map((_, k) => prices.map((price, i) => (visible(price) ? own.slice(0, k + 1).reduce((sum, venue) => sum + venue[side][i], 0) : null))).reverse();
  const bidLayers = layers('bids', (price) => price <= bestBid);
  const askLayers = layers('asks', (price) => price >= bestAsk);
  const reversed = [...venues].reverse();
  const series = (side, align) =>
    reversed.map(({ venue }) => ({ label: `${venue} ${side}`, stroke: colours.get(venue), fill: `${colours.get(venue)}55`, width: 1, paths: uPlot.paths.stepped({ align }) }));
  draw(
    container,
    {
      series: [{}, ...series('bids', -1), ...series('asks', 1)],
      scales: { x: { time: false } },
      axes: [{ values: (_, ticks) => ticks.map((tick) => tick.toLocaleString(undefined, { maximumFractionDigits: 2 })) }, { size: 55 }],
      legend: { show: false },
      hooks: { draw: [drawLegs] },
    },
    [prices, ...bidLayers, ...askLayers],
  );
}

function drawLegs(chart) {
  const { ctx, bbox } = chart;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  ctx.setLineDash([5, 4]);
  ctx.lineWidth = 2;
  ctx.font = '11px system-ui';
  for (const [index, leg] of legs.entries()) {
    const x = chart.valToPos(Number(leg.limitPrice ?? leg.expectedAveragePrice), 'x', true);
    ctx.strokeStyle = ctx.fillStyle = colours.get(leg.venue) ?? '#d7dde5';
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    ctx.fillText(`${leg.venue} ${leg.quantity}`, x + 4, bbox.top + 14 + index * 14);
  }
  ctx.restore();
}
