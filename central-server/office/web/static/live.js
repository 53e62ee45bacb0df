// The live overview's only script (/office/static/live.js, CSP script-src 'self'): it follows
// /office/events and writes each change into the server-rendered page. Every text it writes
// goes in through textContent, never as markup. Without it the page still reads (reload it).
(function () {
  'use strict';
  const root = document.getElementById('live');
  if (root === null || typeof EventSource === 'undefined') return;
  const lang = root.dataset.lang === 'en' ? 'en' : 'de';
  const states = (root.dataset.states || '').split(' ');
  const filter = root.dataset.filter || '';
  const of = root.dataset.of || 'von';
  const number = new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB');
  const status = document.getElementById('live-status');
  const stale = document.getElementById('live-stale');
  const MAX_ITEMS = 50;

  const all = (selector) => Array.prototype.slice.call(document.querySelectorAll(selector));
  const attr = (value) => String(value).replace(/["\\]/g, '\\$&');

  function duration(minutes) {
    const m = Math.abs(minutes);
    const h = Math.floor(m / 60);
    const rest = m % 60;
    if (lang === 'de') return h > 0 ? h + ' Std. ' + rest + ' Min.' : rest + ' Min.';
    return h > 0 ? h + ' h ' + rest + ' min' : rest + ' min';
  }

  function setStatus(live) {
    if (status === null) return;
    status.hidden = false;
    status.className = 'wk-badge ' + (live ? 'wk-badge--ok' : 'wk-badge--error');
    status.textContent = live ? status.dataset.live || 'live' : status.dataset.offline || '–';
  }

  function time(data) {
    const since = document.getElementById('live-since');
    if (since !== null && typeof data.minutes === 'number') {
      since.dataset.minutes = String(data.minutes);
      since.textContent = duration(data.minutes);
    }
  }

  function counts(byArea) {
    Object.keys(byArea || {}).forEach(function (areaId) {
      const c = byArea[areaId];
      states.forEach(function (state, i) {
        all('[data-count="' + attr(areaId) + '"][data-state="' + attr(state) + '"]').forEach(
          function (el) {
            el.textContent = number.format(c.states[i] || 0);
          },
        );
      });
      all('[data-reported="' + attr(areaId) + '"]').forEach(function (el) {
        el.textContent = number.format(c.reported) + ' ' + of + ' ' + number.format(c.total);
      });
      all('[data-bar="' + attr(areaId) + '"]').forEach(function (el) {
        el.setAttribute('width', (c.total === 0 ? 0 : (100 * c.reported) / c.total).toFixed(1));
      });
    });
  }

  function districts(list, more) {
    let missed = more === true;
    list.forEach(function (d) {
      const badges = all('[data-badge="' + attr(d.id) + '"]');
      badges.forEach(function (el) {
        el.className = 'wk-badge wk-badge--' + d.badge;
        el.textContent = d.label;
      });
      // a district not on this page that now belongs to the filtered list: the list is stale
      if (badges.length === 0 && filter !== '' && d.state === filter) missed = true;
    });
    if (missed && stale !== null) stale.hidden = false;
  }

  function prepend(container, node, emptyNote) {
    if (container === null) return;
    container.insertBefore(node, container.firstChild);
    while (container.children.length > MAX_ITEMS) container.removeChild(container.lastChild);
    const note = document.getElementById(emptyNote);
    if (note !== null) note.hidden = true;
  }

  function alerts(list) {
    const container = document.getElementById('live-alert-list');
    list.forEach(function (a) {
      if (container !== null && container.querySelector('[data-alert="' + attr(a.id) + '"]'))
        return;
      const li = document.createElement('li');
      li.dataset.alert = String(a.id);
      const badge = document.createElement('span');
      badge.className = 'wk-badge wk-badge--' + (a.level === 'error' ? 'error' : 'warn');
      badge.textContent = a.time;
      li.appendChild(badge);
      li.appendChild(document.createTextNode(' ' + a.text));
      prepend(container, li, 'live-no-alerts');
    });
  }

  function refusals(list) {
    const container = document.getElementById('live-refusal-list');
    list.forEach(function (r) {
      const tr = document.createElement('tr');
      [r.time, r.station, r.attempt, r.code, r.reason].forEach(function (text, i) {
        const td = document.createElement('td');
        if (i === 3) {
          const code = document.createElement('code');
          code.textContent = text;
          td.appendChild(code);
        } else {
          td.textContent = text;
        }
        tr.appendChild(td);
      });
      prepend(container, tr, 'live-no-refusals');
    });
  }

  function parse(event) {
    try {
      return JSON.parse(event.data);
    } catch {
      return null;
    }
  }

  let source = null;
  function connect() {
    source = new EventSource(root.dataset.events);
    source.addEventListener('open', function () {
      setStatus(true);
    });
    source.addEventListener('error', function () {
      setStatus(false);
      // closed for good (refused, logged out): try again later; otherwise the browser retries
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 30000);
    });
    source.addEventListener('delta', function (event) {
      const data = parse(event);
      if (data === null) return;
      time(data);
      counts(data.counts);
      districts(data.districts || [], data.more);
      alerts(data.alerts || []);
      refusals(data.refusals || []);
      root.dataset.version = event.lastEventId;
    });
    source.addEventListener('resync', function (event) {
      const data = parse(event);
      if (data === null) return;
      time(data);
      counts(data.counts);
      if (stale !== null) stale.hidden = false;
      root.dataset.version = event.lastEventId;
    });
    source.addEventListener('tick', function (event) {
      const data = parse(event);
      if (data !== null) time(data);
    });
  }
  connect();
})();
