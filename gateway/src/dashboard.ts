/**
 * The dashboard page: live top of book per venue, refreshed every second from /market/books. The
 * API key comes in the URL fragment (`/#key=…`, never sent to the server, so never logged) and is
 * kept in the tab's sessionStorage.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Crossvenue</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 2rem; color: #1d232a; }
  table { border-collapse: collapse; min-width: 40rem; }
  th, td { padding: .35rem .8rem; border-bottom: 1px solid #dde1e6; text-align: right; }
  th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
  .venue { background: #eef2f7; border-radius: .3rem; padding: .1rem .4rem; }
</style>
</head>
<body>
<h1>Crossvenue</h1>
<p id="status">connecting…</p>
<table>
  <thead><tr><th>venue</th><th>instrument</th><th>best bid</th><th>best ask</th><th>sequence</th></tr></thead>
  <tbody id="books"></tbody>
</table>
<script>
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromFragment) { sessionStorage.setItem('crossvenue.key', fromFragment); history.replaceState(null, '', location.pathname); }
  const apiKey = sessionStorage.getItem('crossvenue.key') || prompt('Crossvenue API key');
  if (apiKey) sessionStorage.setItem('crossvenue.key', apiKey);
  const cell = (text) => { const td = document.createElement('td'); td.textContent = text ?? '—'; return td; };
  async function refresh() {
    try {
      const response = await fetch('/market/books', { headers: { 'x-api-key': apiKey } });
      if (!response.ok) throw new Error((await response.json()).error.message);
      const { books } = await response.json();
      const rows = books.map((b) => {
        const tr = document.createElement('tr');
        const venue = cell(''); const badge = document.createElement('span');
        badge.className = 'venue'; badge.textContent = b.venue; venue.append(badge);
        tr.append(venue, cell(b.instrument), cell(b.bestBid), cell(b.bestAsk), cell(String(b.sequence ?? '')));
        return tr;
      });
      document.getElementById('books').replaceChildren(...rows);
      document.getElementById('status').textContent = 'live · updated ' + new Date().toLocaleTimeString();
    } catch (error) {
      document.getElementById('status').textContent = 'gateway unreachable: ' + error;
    }
  }
  refresh();
  setInterval(refresh, 1000);
</script>
</body>
</html>
`;
