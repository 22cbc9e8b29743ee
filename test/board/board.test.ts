/**
 * The planning board in a real browser (Debian's chromium through playwright-core), against a
 * stub of the /v1 API built from the fixture plant. Skipped when chromium is not installed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { PlantView, ScheduleVersionView } from '../../sync/ports.ts';
import { startStubServer, type StubOptions, type StubServer } from './stub-server.ts';
import { syntheticPlant } from './fixtures/synthetic.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`board tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const API_KEY = 'board-test-key';
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const schedule = fixture('schedule.json') as ScheduleVersionView;
const plant = fixture('plant.json') as PlantView;
const sync = fixture('sync.json') as StubOptions['sync'];
/** 2,310 orders × 5 operations, less the held and short ones: just over 10,000 bars over months. */
const big = syntheticPlant({ plant: 'BIG', orders: 2310, opsPerOrder: 5, now: '2026-11-23T07:00:00.000Z' });

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

describe.skipIf(!hasChromium)('planning board', () => {
  let server: StubServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startStubServer({ apiKey: API_KEY, plants: { P1: { schedule, plant }, BIG: big }, sync });
    profile = mkdtempSync(join(tmpdir(), 'takt-board-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
        '--no-first-run', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(query: string): Promise<void> {
    await page.goto(`${server.url}/?${query}`);
    await page.waitForFunction(() => window.taktBoard?.ready === true && window.taktBoard.lastDrawMs > 0, undefined, { timeout: 15_000 })
      .catch((error: unknown) => {
        throw new Error(`board did not draw: ${String(error)}\npage errors:\n${pageErrors.join('\n')}`);
      });
  }

  it('takes the key from ?key=, keeps it, strips it from the URL and draws one bar per operation', async () => {
    await open(`key=${API_KEY}&plant=P1`);
    expect(new URL(page.url()).searchParams.has('key')).toBe(false);
    expect(await page.evaluate(() => localStorage.getItem('takt.apiKey'))).toBe(API_KEY);
    expect(server.requests.every((r) => r.authorization === `Bearer ${API_KEY}`)).toBe(true);

    expect(await page.evaluate(() => window.taktBoard.barCount())).toBe(schedule.operations.length);
    // The initial view fits the plan: every bar is in view and drawn.
    expect(await page.evaluate(() => window.taktBoard.drawnBars)).toBe(schedule.operations.length);
    await expect.poll(() => page.getByTestId('schedule-version').textContent()).toBe(String(schedule.version));
    expect(await page.getByTestId('draw-status').textContent()).toContain(`${schedule.operations.length} bars`);
  });

  it('lists orders with reasons and filters late, short and held ones', async () => {
    await expect.poll(() => page.getByTestId('order-row').count()).toBe(schedule.orders.length);
    const late = schedule.orders.filter((o) => (o.latenessMinutes ?? 0) > 0 || o.status === 'unscheduled').length;
    await page.getByTestId('filter-late').click();
    expect(await page.getByTestId('order-row').count()).toBe(late);
    await expect.poll(() => page.getByTestId('orders').textContent()).toContain('waits for capacity on');
    await page.getByTestId('filter-held').click();
    const held = schedule.problems.filter((p) => p.type === 'hold').length;
    expect(await page.getByTestId('order-row').count()).toBe(held);
    await page.getByTestId('filter-all').click();
    const shortRows = await page.getByTestId('shortage-row').count();
    expect(shortRows).toBe(1); // both shortages are of one item
    expect(await page.getByTestId('problems').textContent()).toContain('RC-77');
  });

  it('shows details of a clicked bar and zooms with the keyboard', async () => {
    const canvas = page.getByTestId('gantt');
    const box = (await canvas.boundingBox())!;
    // Find a bar's screen position through the chart's own hit test.
    const point = await page.evaluate(({ w, h }) => {
      const g = (window.taktBoard as unknown as { gantt: { hit(x: number, y: number): number | null } }).gantt;
      for (let y = 50; y < h; y += 5) for (let x = 170; x < w; x += 5) if (g.hit(x, y) !== null) return { x, y };
      return null;
    }, { w: box.width, h: box.height });
    expect(point).not.toBeNull();
    await page.mouse.move(box.x + point!.x, box.y + point!.y);
    await expect.poll(() => page.getByTestId('tooltip').isVisible()).toBe(true);
    await page.mouse.click(box.x + point!.x, box.y + point!.y);
    await expect.poll(() => page.getByTestId('details').textContent()).toContain('Material ready');

    await canvas.focus();
    const before = await page.evaluate(() => window.taktBoard.drawnBars);
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await expect.poll(() => page.evaluate(() => window.taktBoard.drawnBars)).toBeLessThan(before);
    await page.keyboard.press('Home');
    await expect.poll(() => page.evaluate(() => window.taktBoard.drawnBars)).toBe(before);
  });

  it('runs a what-if and shows the diff before committing anything', async () => {
    const version = schedule.version;
    await page.getByTestId('whatif-wc').selectOption('WELD');
    await page.getByTestId('whatif-start').fill('2026-11-23T09:00');
    await page.getByTestId('whatif-end').fill('2026-11-23T17:00');
    await page.getByTestId('whatif-run').click();
    await expect.poll(() => page.getByTestId('whatif-diff').isVisible()).toBe(true);

    const sent = server.requests.filter((r) => r.path === '/v1/plants/P1/what-if').at(-1)!.body as { downtimes: unknown[] };
    // 09:00–17:00 Berlin (UTC+1 in November) is 08:00–16:00 UTC.
    expect(sent.downtimes).toEqual([{ workCenter: 'WELD', start: '2026-11-23T08:00:00.000Z', end: '2026-11-23T16:00:00.000Z' }]);
    expect(await page.getByTestId('change-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('kpi-delta').count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator('[data-testid="kpi-delta"][data-kpi="makespanMinutes"]').textContent()).toMatch(/\+\d/);
    expect(await page.getByTestId('schedule-version').textContent()).toBe(String(version)); // nothing committed

    await page.getByTestId('whatif-preview').click();
    await expect.poll(() => page.getByTestId('preview-banner').isVisible()).toBe(true);
  });

  it('reschedules: the version goes up by one', async () => {
    const before = Number(await page.getByTestId('schedule-version').textContent());
    await page.getByTestId('reschedule').click();
    await expect.poll(() => page.getByTestId('schedule-version').textContent()).toBe(String(before + 1));
    expect(server.requests.filter((r) => r.path === '/v1/plants/P1/reschedule')).toHaveLength(1);
    expect(await page.getByTestId('preview-banner').isVisible()).toBe(false);
    // The what-if diff was against the old version: it is gone.
    expect(await page.getByTestId('whatif-diff').isVisible()).toBe(false);
  });

  it('replays a dead letter from the sync health panel', async () => {
    await expect.poll(() => page.getByTestId('dead-letter').count()).toBe(1);
    await page.getByTestId('replay').click();
    await expect.poll(() => page.getByTestId('dead-letter').count()).toBe(0);
    expect(server.requests.some((r) => r.method === 'POST' && r.path === '/v1/sync/dead-letters/dl-17/replay')).toBe(true);
  });

  it('saves a screenshot of the board', async () => {
    mkdirSync('test-results', { recursive: true });
    await page.getByTestId('filter-late').click();
    await page.getByTestId('color-lateness').check();
    await page.getByTestId('whatif-run').click(); // the downtime is still in the list of changes to try
    await expect.poll(() => page.getByTestId('whatif-diff').isVisible()).toBe(true);
    const late = schedule.orders.find((o) => (o.latenessMinutes ?? 0) > 0)!;
    await page.locator(`[data-action="pick-order"][data-order="${late.workOrder}"]`).click();
    await expect.poll(() => page.getByTestId('details').textContent()).toContain(`Order ${late.workOrder}`);
    await page.screenshot({ path: 'test-results/board.png', fullPage: true });
    expect(existsSync('test-results/board.png')).toBe(true);
  });

  it('draws 10,000 operations quickly, only the visible ones', async () => {
    await open('plant=BIG');
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
    await page.screenshot({ path: 'test-results/board-10k.png' });
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });

  it('asks for an API key when it has none, and uses the one typed in', async () => {
    await page.evaluate(() => localStorage.clear());
    await page.goto(`${server.url}/?plant=P1`);
    await expect.poll(() => page.getByTestId('key-dialog').isVisible()).toBe(true);
    await page.getByTestId('key-input').fill(API_KEY);
    await page.getByTestId('key-save').click();
    await page.waitForFunction(() => window.taktBoard?.ready === true && window.taktBoard.lastDrawMs > 0);
    expect(await page.evaluate(() => localStorage.getItem('takt.apiKey'))).toBe(API_KEY);
    expect(await page.evaluate(() => window.taktBoard.barCount())).toBe(schedule.operations.length);
  });
});
