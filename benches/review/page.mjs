// What the review benchmark runs inside the app's webview, beside the contacts benchmark's
// `install` (which gives `window.__bench.settle` and `window.__bench.until`). Sent as source
// text, so `installReview` uses nothing from this module's scope; it puts its functions on
// `window.__review`. Timed as the contacts benchmark times: performance.now() right before
// the click, done in the page, a MutationObserver until the screen holds what the user waits
// for, then the next painted frame. Here one click is followed to two moments: the plan on
// screen, and the checks too.

export function installReview() {
  const byId = (id) => document.querySelector(`[data-testid="${id}"]`);
  const count = (id) => {
    const digits = (byId(id)?.textContent ?? '').replace(/[^0-9]/g, '');
    return digits === '' ? null : Number(digits);
  };

  function groups() {
    return byId('review-groups')?.querySelectorAll('[data-testid="review-group"]').length ?? 0;
  }

  function describe() {
    return JSON.stringify({
      total: byId('review-total')?.textContent?.trim(),
      groups: groups(),
      ownFiles: document.querySelectorAll('[data-testid="compose-own-file"]').length,
      error: document.querySelector('[role="alert"]')?.textContent?.trim(),
    });
  }

  /** The contacts benchmark's wait, given two minutes for the screen. */
  const until = (conditions) => window.__bench.until(conditions, describe, 120_000);

  /**
   * From a click on the step bar's 確認 to the plan of `recipients` on screen (its count), and
   * to the checks under it (the domain groups); `ms` and `domMs` are the latter.
   */
  async function openReview(recipients) {
    const start = performance.now();
    byId('step-review').click();
    const { plan, checks } = await until({
      plan: () => count('review-total') === recipients,
      checks: () => count('review-total') === recipients && groups() > 0,
    });
    return {
      ms: checks.painted - start,
      domMs: checks.dom - start,
      planMs: plan.painted - start,
      planDomMs: plan.dom - start,
    };
  }

  /**
   * Back to the compose step, which unmounts the review, and on until compose has shown its
   * table of own files again, so that none of its work runs into the next measurement.
   */
  async function leaveReview() {
    byId('step-compose').click();
    await until({
      compose: () => !byId('review-total') && byId('compose-own-file') !== null,
    });
    await window.__bench.settle(1500);
  }

  /**
   * The calls the review makes on opening, one after another straight through IPC with
   * nothing rendered, `times` times: how long each takes and how many JSON bytes it returns,
   * in the order made (a list: an object's keys may come back from WebDriver in any order).
   */
  async function stages(campaign, times) {
    const invoke = window.__TAURI_INTERNALS__.invoke;
    const calls = [
      ['review_campaign', () => invoke('review_campaign', { campaign, at: null })],
      ['get_settings', () => invoke('get_settings', {})],
      ['check_plan', (plan) => invoke('check_plan', { planId: plan.id })],
      ['preview_plan', (plan) => invoke('preview_plan', { planId: plan.id, address: null })],
    ];
    const results = calls.map(([name]) => ({ name, ms: [], bytes: 0 }));
    for (let i = 0; i < times; i++) {
      let plan = null;
      for (const [index, [name, call]] of calls.entries()) {
        const started = performance.now();
        const result = await call(plan);
        results[index].ms.push(performance.now() - started);
        results[index].bytes = JSON.stringify(result).length;
        if (name === 'review_campaign') plan = result;
      }
      await window.__bench.settle(300);
    }
    return results;
  }

  window.__review = { describe, openReview, leaveReview, stages };
}
