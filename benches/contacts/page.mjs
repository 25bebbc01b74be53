// What the benchmark runs inside the page: the app's webview (over WebDriver) and the
// baseline's Chromium tab (over playwright-core). `install` is sent as source text, so it must
// not use anything from this module's scope: it puts everything the measurements need on
// `window.__bench`. Every measurement starts a clock with
// performance.now() right before the user's action, done in the page (a click, an input
// event, a scroll), and stops it once what the user waits for is on screen: a MutationObserver
// notices the DOM that satisfies the condition, and the time is taken after the next frame
// has been painted (requestAnimationFrame, then a task). `dom` is when the DOM was ready.

export function install() {
  const byId = (id) => document.querySelector(`[data-testid="${id}"]`);
  const digits = (text) => {
    const d = (text ?? '').replace(/[^0-9]/g, '');
    return d === '' ? null : Number(d);
  };

  /** Resolves after the next frame has been rendered. */
  function frame() {
    return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  }

  async function settle(ms) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    await frame();
    await frame();
  }

  /**
   * Waits for every test of `conditions` (name → test) to hold, each checked on every DOM
   * change; resolves with, for each name, when its DOM was ready and when the frame showing it
   * was painted. Rejects after `timeout` ms with what `describe()` says of the page. One action
   * can so be followed to several moments (the review benchmark's plan, then its checks).
   */
  function until(conditions, describe, timeout = 60_000) {
    return new Promise((resolve, reject) => {
      const pending = new Set(Object.keys(conditions));
      const times = {};
      const holds = (name) => {
        try {
          return conditions[name]();
        } catch {
          return false;
        }
      };
      const check = () => {
        for (const name of [...pending].filter(holds)) {
          pending.delete(name);
          const dom = performance.now();
          frame().then(() => {
            times[name] = { dom, painted: performance.now() };
            if (Object.keys(times).length === Object.keys(conditions).length) resolve(times);
          });
        }
        if (pending.size > 0) return;
        observer.disconnect();
        clearTimeout(timer);
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error(`not on screen after ${timeout} ms: ${describe()}`));
      }, timeout);
      check();
    });
  }

  // ---- the contacts view --------------------------------------------------------------

  const scroller = () => byId('contacts-table')?.querySelector('.scroller') ?? null;
  const total = () => {
    const el = byId('contacts-total');
    return el ? digits(el.textContent) : null;
  };

  /** The rows the user can see in the table's scrolling area. */
  function visibleRows() {
    const box = scroller()?.getBoundingClientRect();
    if (!box) return [];
    return [...document.querySelectorAll('[data-testid="contacts-row"]')].filter((row) => {
      const r = row.getBoundingClientRect();
      return r.bottom > box.top && r.top < box.bottom;
    });
  }

  /**
   * The table shows `count` contacts in all, every row in sight is filled (not "loading"), and,
   * when given, the row at `index` (0-based, in sight) holds `address` (or one of a list of
   * them); without `index`, the first row in sight does.
   */
  function showing(count, address, index) {
    if (total() !== count) return false;
    const rows = visibleRows();
    if (rows.length === 0 || rows.some((row) => !row.dataset.address)) return false;
    if (address == null) return true;
    const row =
      index == null
        ? rows[0]
        : rows.find((r) => r.getAttribute('aria-rowindex') === String(index + 2));
    return [address].flat().includes(row?.dataset.address);
  }

  function describe() {
    const rows = visibleRows();
    return JSON.stringify({
      total: byId('contacts-total')?.textContent?.trim(),
      rows: rows.length,
      loading: rows.filter((r) => !r.dataset.address).length,
      first: rows[0]?.dataset.address,
      firstIndex: rows[0]?.getAttribute('aria-rowindex'),
      error: document.querySelector('[role="alert"]')?.textContent?.trim(),
    });
  }

  async function timed(action, ready) {
    const start = performance.now();
    action();
    const { dom, painted } = (await until({ ready }, describe)).ready;
    return { ms: painted - start, domMs: dom - start };
  }

  /** From a click on the 宛先一覧 tab to the first rows and the count on screen. */
  function openContacts(count, first) {
    return timed(() => byId('tab-contacts').click(), () => showing(count, first));
  }

  /** Back to the import tab, which unmounts the contacts view and all it had loaded. */
  async function closeContacts() {
    byId('tab-import').click();
    await until({ closed: () => !byId('contacts-table') }, () => 'the contacts view stays');
    await settle(500);
  }

  function type(word) {
    const input = byId('contacts-search');
    input.value = word;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  /** Types `word` at once (as a paste does) and waits for its results; includes the debounce. */
  function search(word, count, first) {
    return timed(() => type(word), () => showing(count, first));
  }

  async function clearSearch(count, first) {
    type('');
    await until({ cleared: () => showing(count, first) }, describe);
    await settle(300);
  }

  function sort(key, count, first) {
    return timed(() => byId(`contacts-sort-${key}`).click(), () => showing(count, first));
  }

  function rowHeight() {
    return document.querySelector('[data-testid="contacts-row"]').getBoundingClientRect().height;
  }

  /** Scrolls so that row `index` (0-based) is at the top and waits for it and its neighbours. */
  function scrollTo(index, count, address) {
    const el = scroller();
    const top = index * rowHeight();
    return timed(
      () => {
        el.scrollTop = top;
      },
      () => showing(count, address, index),
    );
  }

  /** Round trips of one command through IPC, with nothing rendered. */
  async function invoke(command, args, times) {
    const ms = [];
    let result;
    for (let i = 0; i < times; i++) {
      const start = performance.now();
      result = await window.__TAURI_INTERNALS__.invoke(command, args);
      ms.push(performance.now() - start);
      await settle(50);
    }
    return { ms, bytes: JSON.stringify(result).length };
  }

  // ---- the baseline: every contact at once in a plain table, in a page of its own -------

  const baseline = { rows: [], header: [], html: null, box: null, table: null, count: null, input: null };

  function addRows(rows) {
    baseline.rows.push(...rows);
    return baseline.rows.length;
  }

  /** The page: a search box, the count and the table's scrolling box (anything else hidden). */
  function setUpBaseline(header) {
    baseline.header = header;
    for (const child of document.body.children) child.style.display = 'none';
    const root = document.createElement('div');
    root.style.cssText =
      'position:fixed;inset:0;display:flex;flex-direction:column;gap:8px;padding:12px;' +
      'background:#fff;color:#222;font:14px sans-serif';
    const bar = document.createElement('div');
    bar.style.cssText = 'display:flex;gap:12px;align-items:center';
    const input = document.createElement('input');
    input.type = 'search';
    input.style.cssText = 'width:20rem;padding:4px';
    const count = document.createElement('strong');
    bar.append(input, count);
    const box = document.createElement('div');
    box.style.cssText = 'flex:1;overflow:auto;border:1px solid #ccc';
    root.append(bar, box);
    document.body.append(root);
    Object.assign(baseline, { box, input, count });
  }

  const escape = (s) =>
    s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

  /** The table as a server would send it: a page of plain HTML is there before the browser starts. */
  function baselineHtml() {
    const head = baseline.header.map((h) => `<th>${escape(h)}</th>`).join('');
    const body = baseline.rows
      .map((row, i) => `<tr data-i="${i}">${row.map((v) => `<td>${escape(v)}</td>`).join('')}</tr>`)
      .join('');
    return (
      `<table cellspacing="0" cellpadding="4" style="white-space:nowrap;border-collapse:collapse">` +
      `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`
    );
  }

  async function prepareBaseline() {
    baseline.html = baselineHtml();
    await settle(1000);
  }

  /** Every row at once: the HTML parsed, laid out and painted. */
  async function renderBaseline() {
    const start = performance.now();
    baseline.box.innerHTML = baseline.html;
    baseline.table = baseline.box.firstElementChild;
    baseline.count.textContent = `${baseline.rows.length.toLocaleString('ja-JP')} 件`;
    const dom = performance.now();
    await frame();
    return { ms: performance.now() - start, domMs: dom - start };
  }

  /** Filters the DOM rows by their text, as a table without a backend does. */
  async function searchBaseline(word) {
    const start = performance.now();
    baseline.input.value = word;
    let shown = 0;
    for (const tr of baseline.table.tBodies[0].rows) {
      const match = word === '' || tr.textContent.includes(word);
      tr.hidden = !match;
      if (match) shown++;
    }
    baseline.count.textContent = `${shown.toLocaleString('ja-JP')} 件`;
    const dom = performance.now();
    await frame();
    return { ms: performance.now() - start, domMs: dom - start, shown };
  }

  /**
   * Re-orders the DOM rows by the text of column `column` (ties by file order); returns the
   * first row's `addressColumn` to check the order by.
   */
  async function sortBaseline(column, descending, addressColumn) {
    const start = performance.now();
    const body = baseline.table.tBodies[0];
    const rows = [...body.rows];
    const key = rows.map((tr) => tr.cells[column].textContent);
    // Ties by the file's order (the app's ids), not by the order an earlier sort left.
    const id = rows.map((tr) => Number(tr.dataset.i));
    const order = rows.map((_, i) => i);
    order.sort((a, b) => {
      const c = key[a] < key[b] ? -1 : key[a] > key[b] ? 1 : id[a] - id[b];
      return descending ? -c : c;
    });
    const fragment = document.createDocumentFragment();
    for (const i of order) fragment.append(rows[i]);
    body.append(fragment);
    const dom = performance.now();
    await frame();
    const first = rows[order[0]].cells[addressColumn].textContent;
    return { ms: performance.now() - start, domMs: dom - start, first };
  }

  async function scrollBaseline(index) {
    const start = performance.now();
    baseline.box.scrollTop = baseline.table.tBodies[0].rows[index].offsetTop;
    const dom = performance.now();
    await frame();
    return { ms: performance.now() - start, domMs: dom - start };
  }

  async function scrollBaselineHome() {
    baseline.box.scrollTop = 0;
    await settle(300);
  }

  window.__bench = {
    settle,
    until,
    total,
    describe,
    openContacts,
    closeContacts,
    search,
    clearSearch,
    sort,
    scrollTo,
    invoke,
    addRows,
    setUpBaseline,
    renderBaseline,
    prepareBaseline,
    searchBaseline,
    sortBaseline,
    scrollBaseline,
    scrollBaselineHome,
  };
}
