/**
 * The planning board in a real browser (Debian's chromium through playwright-core) against the
 * real service: PGlite in memory, the machining demo plant loaded through the event path, a
 * clock fixed at the example's `now`. Only the 10,000-operation drawing test reads a synthetic
 * plant from a stub, since the real service would take minutes to plan one that size.
 * Skipped when chromium is not installed.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';
import type { ScheduledOperation } from '../../scheduler/result.ts';
import type { PlantView, ScheduleVersionView, SyncStatusView, WhatIfView } from '../../sync/ports.ts';
import { createWritebackHandler } from '../../sync/writeback/worker.ts';
import { syntheticPlant } from './fixtures/synthetic.ts';
import { DEMO_PROBLEM, startRealService, type RealService } from './real-service.ts';
import { startStubServer, type StubServer } from './stub-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`board tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const PLANT = DEMO_PROBLEM.plant.id;
const VIEWPORT = { width: 1400, height: 900 };
const HOUR = 3_600_000;
/** `TAKT_UPDATE_DOCS=1 npx vitest run test/board` also refreshes the README's screenshot. */
const UPDATE_DOCS = process.env.TAKT_UPDATE_DOCS === '1';

interface BoardHandle {
  barCount(): number;
  lastDrawMs: number;
  drawnBars: number;
  version: number | null;
  ready: boolean;
}
// Globals of the page, for the functions that run inside it (tsconfig has no DOM lib).
declare const window: { taktBoard: BoardHandle };
declare const localStorage: { getItem(key: string): string | null; clear(): void };

/** A `datetime-local` value: the wall time of an instant in the plant's zone. */
function localInput(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(ms).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** What the board shows for an instant: "Thu 26 Nov 16:00" in the plant zone (without the comma some ICU versions put in). */
function berlinInstant(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: DEMO_PROBLEM.plant.timeZone, weekday: 'short', day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(Date.parse(iso)).replace(',', '');
}

async function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
    viewport: VIEWPORT,
    timezoneId: 'America/New_York', // not the plant's zone: the board must show plant time regardless
    locale: 'en-US',
  });
}

describe.skipIf(!hasChromium)('planning board on the real service', () => {
  let service: RealService;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const pageErrors: string[] = [];
  const apiRequests: Request[] = [];

  const apiGet = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${service.token}` } });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'takt-board-'));
    [service, context] = await Promise.all([startRealService(), launch(profile)]);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    page.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/v1/')) apiRequests.push(r); });
  });

  afterAll(async () => {
    await context?.close();
    await service?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function waitForBoard(): Promise<void> {
    await page.waitForFunction(() => window.taktBoard?.ready === true && window.taktBoard.lastDrawMs > 0, undefined, { timeout: 15_000 })
      .catch((error: unknown) => {
        throw new Error(`board did not draw: ${String(error)}\npage errors:\n${pageErrors.join('\n')}`);
      });
  }

  it('takes the key from ?key=, keeps it, strips it from the URL and draws one bar per scheduled operation', async () => {
    // The link `takt start` prints: no plant named, the board picks the only one.
    await page.goto(`${service.url}/?key=${service.token}`);
    await waitForBoard();
    expect(new URL(page.url()).searchParams.has('key')).toBe(false);
    expect(await page.evaluate(() => localStorage.getItem('takt.apiKey'))).toBe(service.token);
    expect(apiRequests.length).toBeGreaterThan(0);
    expect(apiRequests.every((r) => r.headers().authorization === `Bearer ${service.token}`)).toBe(true);

    const schedule = await apiGet<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`);
    expect(schedule.operations.length).toBeGreaterThan(50);
    expect(await page.getByTestId('plant-select').inputValue()).toBe(PLANT);
    expect(await page.evaluate(() => window.taktBoard.barCount())).toBe(schedule.operations.length);
    // The initial view fits the plan: every bar is in view and drawn.
    expect(await page.evaluate(() => window.taktBoard.drawnBars)).toBe(schedule.operations.length);
    await expect.poll(() => page.getByTestId('schedule-version').textContent()).toBe(String(schedule.version));
    expect(await page.getByTestId('draw-status').textContent()).toContain(`${schedule.operations.length} bars`);
  });

  it('lists the late orders with reasons a planner can read', async () => {
    const schedule = await apiGet<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`);
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(schedule.orders.length);
    const late = schedule.orders.filter((o) => (o.latenessMinutes ?? 0) > 0 || o.status === 'unscheduled');
    expect(late.length).toBeGreaterThan(0);
    await page.getByTestId('filter-late').click();
    expect(await page.getByTestId('order-row').count()).toBe(late.length);

    for (const order of late) {
      const row = page.locator(`[data-testid="order-row"][data-order="${order.workOrder}"]`);
      const text = (await row.locator('.reasons summary').textContent())?.trim() ?? '';
      // A sentence, not a raw reason object, an engine id like "WO-1003/30" or an unformatted instant.
      expect(text, order.workOrder).toMatch(/^[A-Z][a-z]/);
      expect(text, order.workOrder).not.toMatch(/[{}"]|undefined|null|NaN|Invalid|\d{4}-\d\d-\d\dT|\//);
      // It names the constraint that held the order back longest (else the first behind the chain
      // of predecessors), not just "the previous step".
      const waited = (r: (typeof order.reasons)[number]): number => ('waitMinutes' in r ? r.waitMinutes ?? 0 : 0);
      const longest = order.reasons.reduce<(typeof order.reasons)[number] | null>((a, r) => (waited(r) > (a === null ? 0 : waited(a)) ? r : a), null);
      const key = longest ?? order.reasons.find((r) => r.kind !== 'predecessor') ?? order.reasons[0]!;
      const fact = 'item' in key ? key.item : 'workCenter' in key ? key.workCenter : key.kind === 'hold' ? key.hold : 'to finish';
      expect(text, order.workOrder).toContain(fact);
      // Due dates in the plant's zone, not the browser's (New York here).
      const due = await row.locator('td').nth(2).textContent();
      expect(due?.replace(',', ''), order.workOrder).toBe(berlinInstant(order.due));
    }
    // Searching narrows the list to orders whose id or item contains the text.
    await page.getByTestId('filter-all').click();
    const someOrder = schedule.orders[0]!.workOrder;
    await page.getByTestId('order-search').fill(someOrder.toLowerCase());
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(schedule.orders.filter((o) => o.workOrder.toLowerCase().includes(someOrder.toLowerCase())).length);
    await page.getByTestId('order-search').fill('');
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(schedule.orders.length);
    await page.getByTestId('filter-late').click();

    // Opened, the reason shows its whole chain.
    const chained = late.find((o) => o.reasons.length > 1)!;
    const reasons = page.locator(`[data-testid="order-row"][data-order="${chained.workOrder}"] .reasons`);
    await reasons.locator('summary').click();
    await expect.poll(() => reasons.locator('ol > li').count()).toBe(chained.reasons.length);
    expect(await reasons.locator('ol > li').first().isVisible()).toBe(true);
    await reasons.locator('summary').click();
    const orders = (await page.getByTestId('orders').textContent()) ?? '';
    expect(orders).toMatch(/waits for (capacity|working time|operation)/);
    expect(orders).toMatch(/\d+ (d|h)( \d+ (h|min))? late/);

    // The order short of plate: unscheduled, with the item it waits for.
    const short = schedule.problems.filter((p) => p.type === 'shortage');
    expect(short.length).toBeGreaterThan(0);
    await page.getByTestId('filter-short').click();
    expect(await page.getByTestId('order-row').count()).toBe(new Set(short.map((p) => p.workOrder)).size);
    for (const p of short) expect(await page.getByTestId('orders').textContent()).toContain(`Short of ${p.type === 'shortage' ? p.item : ''}`);
    expect(await page.getByTestId('problems').textContent()).toContain(short[0]!.type === 'shortage' ? short[0]!.item : '');
    await page.getByTestId('filter-all').click();
    expect(await page.getByTestId('order-row').count()).toBe(schedule.orders.length);
  });

  it('shows details of a clicked bar in plant time and zooms with the keyboard', async () => {
    const canvas = page.getByTestId('gantt');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    // Find a bar's screen position through the chart's own hit test.
    const point = await page.evaluate(({ w, h }) => {
      const g = (window.taktBoard as unknown as { gantt: { hit(x: number, y: number): number | null } }).gantt;
      for (let y = 50; y < h; y += 5) for (let x = 170; x < w; x += 5) if (g.hit(x, y) !== null) return { x, y };
      return null;
    }, { w: box.width, h: box.height });
    expect(point).not.toBeNull();
    // The tooltip of a bar in the lowest visible row stays inside the chart (it opens upwards).
    const low = await page.evaluate(({ w, h }) => {
      const g = (window.taktBoard as unknown as { gantt: { hit(x: number, y: number): number | null } }).gantt;
      for (let y = h - 3; y > 50; y -= 3) for (let x = 170; x < w; x += 5) if (g.hit(x, y) !== null) return { x, y };
      return null;
    }, { w: box.width, h: box.height });
    expect(low).not.toBeNull();
    await page.mouse.move(box.x + low!.x, box.y + low!.y);
    await expect.poll(() => page.getByTestId('tooltip').isVisible()).toBe(true);
    const tip = (await page.getByTestId('tooltip').boundingBox())!;
    expect(tip.y + tip.height).toBeLessThanOrEqual(box.y + box.height + 1);
    expect(await page.locator('#legend').textContent()).toContain('pinned');

    await page.mouse.move(box.x + point!.x, box.y + point!.y);
    await expect.poll(() => page.getByTestId('tooltip').isVisible()).toBe(true);
    await page.mouse.click(box.x + point!.x, box.y + point!.y);
    await expect.poll(() => page.getByTestId('details').textContent()).toContain('Material ready');
    // The work order's own view arrives from the API: item and ERP status.
    await expect.poll(() => page.getByTestId('details').textContent()).toContain('ERP priority');

    await canvas.focus();
    const before = await page.evaluate(() => window.taktBoard.drawnBars);
    for (let i = 0; i < 4; i++) await page.keyboard.press('+');
    await expect.poll(() => page.evaluate(() => window.taktBoard.drawnBars)).toBeLessThan(before);
    await page.keyboard.press('Home');
    await expect.poll(() => page.evaluate(() => window.taktBoard.drawnBars)).toBe(before);

    // Day and Week show what comes next, from a little before now, wherever the view was.
    const view = () => page.evaluate(() => {
      const g = (window.taktBoard as unknown as { gantt: { now: number; viewStart: number; viewEnd(): number } }).gantt;
      return { now: g.now, start: g.viewStart, end: g.viewEnd() };
    });
    await page.getByTestId('pan-right').click();
    await page.getByTestId('pan-right').click();
    for (const [button, days] of [['zoom-day', 1], ['zoom-week', 7]] as const) {
      await page.getByTestId(button).click();
      const shown = await view();
      expect(shown.end - shown.start, button).toBe(days * 24 * HOUR);
      expect(shown.start, button).toBeLessThan(shown.now);
      expect(shown.now - shown.start, button).toBeLessThanOrEqual(12 * HOUR);
    }
    await page.keyboard.press('Home');
  });

  it('shows sync health, and replays a write-back the ERP refused', async () => {
    // A real dead letter: the write-back worker hands one outbox row to an ERP that refuses it.
    const row = await service.db.selectFrom('outbox').select(['id', 'work_order', 'idempotency_key'])
      .where('plant', '=', PLANT).where('status', '=', 'pending').orderBy('work_order').executeTakeFirstOrThrow();
    const refuse = createWritebackHandler({
      db: service.db,
      adapter: { project: (payload) => payload, write: async () => ({ kind: 'rejected', status: 422, reason: `production order ${row.work_order} is locked by the MRP run` }) },
    });
    expect(await refuse(row.id)).toBe('dead');

    await page.locator('#health-refresh').click();
    await expect.poll(() => page.getByTestId('dead-letter').count()).toBe(1);
    const status = await apiGet<SyncStatusView>('/v1/sync/status');
    expect(status.deadLetters).toBe(1);
    expect(await page.getByTestId('dead-letter-count').textContent()).toBe('1');
    expect(await page.getByTestId('outbox-backlog').textContent()).toBe(String(status.outboxBacklog));
    // This service has no ERP: its write-backs are kept, and the board says so rather than call it a backlog.
    expect(status.writebacksConfigured).toBe(false);
    expect(await page.getByTestId('backlog-label').textContent()).toContain('no ERP configured');
    const sources = await page.getByTestId('source-row').allTextContents();
    expect(sources.length).toBe(status.sources.length);
    for (const source of ['ERP', 'WMS', 'MES']) expect(sources.some((s) => s.includes(source)), source).toBe(true);
    const health = (await page.getByTestId('health').textContent()) ?? '';
    expect(health).toContain(`locked by the MRP run`);
    expect(health).toContain(row.work_order);

    await page.getByTestId('replay').click();
    await expect.poll(() => page.getByTestId('dead-letter').count()).toBe(0);
    const replayed = await service.db.selectFrom('outbox').select('status').where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(replayed.status).toBe('pending');
    expect((await apiGet<SyncStatusView>('/v1/sync/status')).deadLetters).toBe(0);
  });

  it('runs a what-if with a downtime on a work center and shows the diff before committing anything', async () => {
    const [schedule, state] = await Promise.all([
      apiGet<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`),
      apiGet<PlantView>(`/v1/plants/${PLANT}/state`),
    ]);
    // The first operation the engine may still move (not frozen), and a shift-long stop of its machine.
    const first = schedule.operations.filter((op) => op.fixedBy === 'planned')
      .reduce<ScheduledOperation | null>((a, op) => (a === null || op.start < a.start ? op : a), null)!;
    expect(state.problem.workCenters.map((w) => w.id)).toContain(first.workCenter);
    const start = Math.floor(Date.parse(first.start) / HOUR) * HOUR;
    const end = start + 8 * HOUR;

    await page.getByTestId('whatif-wc').selectOption(first.workCenter);
    await page.getByTestId('whatif-start').fill(localInput(start, state.timeZone));
    await page.getByTestId('whatif-end').fill(localInput(end, state.timeZone));
    const answered = page.waitForResponse((r) => r.url().endsWith(`/v1/plants/${PLANT}/what-if`));
    await page.getByTestId('whatif-run').click();
    const response = await answered;
    expect(response.status(), await response.text()).toBe(200);
    // Plant wall time in the form is sent as the instant it means, whatever the browser's zone.
    expect((response.request().postDataJSON() as { downtimes: unknown }).downtimes)
      .toEqual([{ workCenter: first.workCenter, start: new Date(start).toISOString(), end: new Date(end).toISOString() }]);
    const whatIf = (await response.json()) as WhatIfView;
    expect(whatIf.changes.length).toBeGreaterThan(0);

    await expect.poll(() => page.getByTestId('whatif-diff').isVisible()).toBe(true);
    expect(await page.getByTestId('change-row').count()).toBe(Math.min(60, whatIf.changes.length));
    expect(await page.getByTestId('kpi-delta').count()).toBeGreaterThanOrEqual(5);
    expect(await page.getByTestId('whatif-changes').textContent()).toMatch(/ends \w{3} \d\d \w{3},? \d\d:\d\d/);
    // Nothing committed: the board and the service still show the same version.
    expect(await page.getByTestId('schedule-version').textContent()).toBe(String(schedule.version));
    expect((await apiGet<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`)).version).toBe(schedule.version);

    await page.getByTestId('whatif-preview').click();
    await expect.poll(() => page.getByTestId('preview-banner').isVisible()).toBe(true);
    expect(await page.evaluate(() => window.taktBoard.barCount())).toBe(whatIf.operations.length);
    await page.getByTestId('whatif-preview').click();
    await expect.poll(() => page.getByTestId('preview-banner').isVisible()).toBe(false);
  });

  it('reschedules: the version goes up by one, on the board and in the service', async () => {
    const before = (await apiGet<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`)).version;
    expect(await page.getByTestId('schedule-version').textContent()).toBe(String(before));
    await page.getByTestId('reschedule').click();
    await expect.poll(() => page.getByTestId('schedule-version').textContent(), { timeout: 15_000 }).toBe(String(before + 1));
    const after = await apiGet<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`);
    expect(after.version).toBe(before + 1);
    expect(after.reason).toBe('requested from the board');
    expect(await page.evaluate(() => window.taktBoard.barCount())).toBe(after.operations.length);
    // The what-if diff was against the old version: it is gone.
    expect(await page.getByTestId('whatif-diff').isVisible()).toBe(false);
    expect(await page.getByTestId('preview-banner').isVisible()).toBe(false);
  });

  it('Discard drops the what-if: its pending changes as well as its diff', async () => {
    const before = await page.getByTestId('whatif-pending').locator('li').count();
    await page.getByTestId('whatif-add').click();
    expect(await page.getByTestId('whatif-pending').locator('li').count()).toBe(before + 1);
    await page.getByTestId('whatif-run').click();
    await expect.poll(() => page.getByTestId('whatif-diff').isVisible()).toBe(true);
    await page.getByTestId('whatif-discard').click();
    expect(await page.getByTestId('whatif-diff').isVisible()).toBe(false);
    expect(await page.getByTestId('whatif-pending').locator('li').count()).toBe(0);
  });

  it('under the approve policy, shows a reschedule as a proposal to review, and publishes it when approved', async () => {
    const put = await fetch(`${service.url}/v1/plants/${PLANT}/policy`, {
      method: 'PUT', headers: { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ publishing: 'approve', writeback: { orderMoveMinutes: 15, operationMoveMinutes: 15, priorityBoundaries: [10, 50, 200] } }),
    });
    expect(put.status).toBe(200);
    const published = await apiGet<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`);
    await page.getByTestId('reschedule').click();
    await expect.poll(() => page.getByTestId('proposal').isVisible()).toBe(true);
    expect(await page.getByTestId('proposal-version').textContent()).toBe(String(published.version + 1));
    // The board still shows what the shop floor has.
    expect(await page.getByTestId('schedule-version').textContent()).toBe(String(published.version));
    expect(await page.getByTestId('proposal-kpis').locator('tbody tr').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('proposal-changes-note').textContent()).toMatch(/order/);

    await page.getByTestId('proposal-approve').click();
    await expect.poll(() => page.getByTestId('proposal').isVisible()).toBe(false);
    await expect.poll(() => page.getByTestId('schedule-version').textContent()).toBe(String(published.version + 1));
    expect((await apiGet<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`)).state).toBe('published');

    // Discarding leaves the published version in place.
    await page.getByTestId('reschedule').click();
    await expect.poll(() => page.getByTestId('proposal').isVisible()).toBe(true);
    await page.getByTestId('proposal-discard').click();
    await expect.poll(() => page.getByTestId('proposal').isVisible()).toBe(false);
    expect(await page.getByTestId('schedule-version').textContent()).toBe(String(published.version + 1));
    await fetch(`${service.url}/v1/plants/${PLANT}/policy`, {
      method: 'PUT', headers: { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ publishing: 'auto', writeback: { orderMoveMinutes: 15, operationMoveMinutes: 15, priorityBoundaries: [10, 50, 200] } }),
    });
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });

  it('saves screenshots of the board', async () => {
    mkdirSync('test-results', { recursive: true });
    const schedule = await apiGet<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`);
    await page.getByTestId('filter-late').click();
    await page.getByTestId('color-lateness').check();
    // The first late order in the list (by dispatch rank): its row stays in view.
    const latest = schedule.orders.filter((o) => (o.latenessMinutes ?? 0) > 0).sort((a, b) => a.dispatchPriority - b.dispatchPriority)[0]!;
    await page.locator(`[data-action="pick-order"][data-order="${latest.workOrder}"]`).click();
    await expect.poll(() => page.getByTestId('details').textContent()).toContain('ERP priority');
    await page.getByTestId('whatif-run').click(); // the downtime is still in the list of changes to try
    await expect.poll(() => page.getByTestId('whatif-diff').isVisible()).toBe(true);
    // The whole plan in view, the late order outlined; no tooltip or notice over the picture.
    await page.locator('#zoom-fit').click();
    await page.mouse.move(0, 0);
    if (await page.getByTestId('notice').isVisible()) await page.getByTestId('notice').click();
    await expect.poll(() => page.getByTestId('notice').isVisible()).toBe(false);
    await page.evaluate(() => (window as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await page.waitForFunction(() => window.taktBoard.drawnBars > 0);

    await page.screenshot({ path: 'test-results/board.png' });
    await page.screenshot({ path: 'test-results/board-full.png', fullPage: true });
    expect(existsSync('test-results/board.png')).toBe(true);
    if (UPDATE_DOCS) {
      mkdirSync('docs', { recursive: true });
      copyFileSync('test-results/board.png', 'docs/board.png');
    }
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });

  it('asks for an API key when it has none, and uses the one typed in', async () => {
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${service.url}/`);
    await expect.poll(() => page.getByTestId('key-dialog').isVisible()).toBe(true);
    await page.getByTestId('key-input').fill(service.token);
    await page.getByTestId('key-save').click();
    await waitForBoard();
    expect(await page.evaluate(() => localStorage.getItem('takt.apiKey'))).toBe(service.token);
    const schedule = await apiGet<ScheduleVersionView>(`/v1/plants/${PLANT}/schedule`);
    expect(await page.evaluate(() => window.taktBoard.barCount())).toBe(schedule.operations.length);
  });
});

describe.skipIf(!hasChromium)('planning board with 10,000 operations (synthetic plant)', () => {
  const API_KEY = 'board-test-key';
  /** 2,310 orders × 5 operations, less the held and short ones: just over 10,000 bars over months. */
  const big = syntheticPlant({ plant: 'BIG', orders: 2310, opsPerOrder: 5, now: '2026-11-23T07:00:00.000Z' });
  let server: StubServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startStubServer({ apiKey: API_KEY, plants: { BIG: big } });
    profile = mkdtempSync(join(tmpdir(), 'takt-board-big-'));
    context = await launch(profile);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('draws 10,000 operations quickly, only the visible ones', async () => {
    await page.goto(`${server.url}/?key=${API_KEY}&plant=BIG`);
    await page.waitForFunction(() => window.taktBoard?.ready === true && window.taktBoard.lastDrawMs > 0, undefined, { timeout: 15_000 });
    expect(await page.evaluate(() => window.taktBoard.barCount())).toBe(big.schedule.operations.length);
    expect(big.schedule.operations.length).toBeGreaterThanOrEqual(10_000);
    const stats = await page.evaluate(async () => {
      const g = (window.taktBoard as unknown as { gantt: { zoom(f: number): void; pan(px: number): void; draw(): void } }).gantt;
      const times: number[] = [];
      let drawnNarrow = 0;
      for (let i = 0; i < 10; i++) {
        g.pan(120);
        g.draw();
        times.push(window.taktBoard.lastDrawMs);
        drawnNarrow = Math.max(drawnNarrow, window.taktBoard.drawnBars);
      }
      g.zoom(1 / 20); // zoomed far out: most bars in view at once
      g.draw();
      const wide = window.taktBoard.lastDrawMs; // first frame of newly seen days: calendars computed
      g.draw();
      const wideWarm = window.taktBoard.lastDrawMs;
      return { drawnNarrow, median: times.sort((a, b) => a - b)[5]!, wide, wideWarm, drawnWide: window.taktBoard.drawnBars };
    });
    console.info(`10k bars: median pan redraw ${stats.median.toFixed(1)} ms; zoomed-out first draw ${stats.wide.toFixed(1)} ms, redraw ${stats.wideWarm.toFixed(1)} ms (${stats.drawnWide} drawn)`);
    // Generous bounds: the machine is shared; typical numbers are ~2 ms and ~30 ms.
    expect(stats.median).toBeLessThan(60);
    expect(stats.wide).toBeLessThan(400);
    expect(stats.wideWarm).toBeLessThan(150);
    // Two weeks in view: only a small share of the 10k bars is drawn.
    expect(stats.drawnNarrow).toBeGreaterThan(0);
    expect(stats.drawnNarrow).toBeLessThan(big.schedule.operations.length / 4);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/board-10k.png' });
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });
});
