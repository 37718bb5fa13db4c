import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { measureOverflow, measureTargets } from './screen-measure';

/**
 * Issue 16's three measured checks of whatever a page shows now: axe-core (no serious or critical
 * violation), nothing past the viewport's right or left edge, and every control's box at least 48 px
 * both ways. Each finding names the screen, the language, the display mode, the viewport, the rule and
 * the element, so that a lead can hand it to whoever owns the screen.
 */

/** The display modes of the display branch's header toggles. */
export const displayModes = ['normal', 'large-text', 'high-contrast'] as const;
export type DisplayMode = (typeof displayModes)[number];

/** The kiosk's panel, and the same panel at 200 % browser zoom (see `zoomed`). */
export const panel = { width: 1280, height: 800 } as const;
/**
 * 200 % zoom as a browser zooms: the layout viewport halves in CSS pixels (640 × 400, what media
 * queries, `vw` and `innerWidth` see) and each CSS pixel is drawn with 2 device pixels. CSS `zoom` on
 * the root would scale the layout without narrowing the viewport that media queries see, so a
 * layout could pass it that a real zoom breaks.
 */
export const zoomed = { width: 640, height: 400, deviceScaleFactor: 2 } as const;

/** The smallest touch target, in CSS pixels, both ways. */
export const minTarget = 48;

/** `mode`: the page could not be put in the language or display mode asked for. */
export type Check = 'axe' | 'overflow' | 'target' | 'mode';
export type ViewportName = '1280x800' | '200%';

export interface Finding {
  readonly screen: string;
  readonly locale: string;
  readonly mode: DisplayMode;
  readonly viewport: ViewportName;
  readonly check: Check;
  /** The axe rule id, or `page-scrolls-sideways`, `past-edge`, `inner-sideways-scroll`, `small-target`. */
  readonly rule: string;
  readonly impact?: string;
  /** A CSS path to the element (axe's own, or built from tag, id, classes and data attributes). */
  readonly element: string;
  readonly detail: string;
}

export interface AuditContext {
  readonly screen: string;
  readonly locale: string;
  readonly mode: DisplayMode;
}

const axeSource = join(process.cwd(), 'node_modules/axe-core/axe.min.js');
/** The WCAG 2.0 and 2.1 A and AA rules; high contrast adds the AAA contrast rule (7:1). */
const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const seriousImpacts = new Set(['serious', 'critical']);

interface AxeApi {
  getRules(tags: string[]): { ruleId: string }[];
  run(context: unknown, options: unknown): Promise<{ violations: unknown[] }>;
}
// The page side of `page.evaluate` callbacks (the project compiles tests without the DOM lib).
declare const window: { axe?: AxeApi; innerWidth: number; devicePixelRatio: number };
declare const document: unknown;
declare function requestAnimationFrame(callback: () => void): number;

interface AxeNode { target: unknown[]; failureSummary?: string; html: string }
interface AxeViolation { id: string; impact?: string | null; help: string; nodes: AxeNode[] }

let axeScript: string | undefined;

/**
 * Injects axe-core once per document (a navigation or a reload loses it). The kiosk's CSP refuses
 * inline scripts, so `page.addScriptTag` cannot add it; evaluated through the DevTools protocol it runs
 * without loosening the page's CSP for the screens under test.
 */
async function ensureAxe(page: Page): Promise<void> {
  const present = await page.evaluate(() => window.axe !== undefined);
  if (present) return;
  axeScript ??= readFileSync(axeSource, 'utf8');
  await page.evaluate(`${axeScript}\n;undefined`);
}

/** axe's serious and critical violations in the page as it is now. */
export async function axeFindings(page: Page, context: AuditContext, viewport: ViewportName = '1280x800'): Promise<Finding[]> {
  await ensureAxe(page);
  const enhanced = context.mode === 'high-contrast';
  const violations = await page.evaluate(async ({ tags, enhanced }) => {
    const axe = window.axe!;
    const rules = axe.getRules(tags).map((rule) => rule.ruleId);
    if (enhanced) rules.push('color-contrast-enhanced');
    const result = await axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] });
    return result.violations;
  }, { tags: axeTags, enhanced }) as AxeViolation[];
  return violations
    .filter((violation) => seriousImpacts.has(violation.impact ?? '') || (enhanced && violation.id === 'color-contrast-enhanced'))
    .flatMap((violation) => violation.nodes.map((node) => ({
      ...context,
      viewport,
      check: 'axe' as const,
      rule: violation.id,
      impact: violation.impact ?? 'unknown',
      element: node.target.map(String).join(' '),
      detail: `${violation.help}: ${(node.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`,
    })));
}

/** The overflow and target checks at the viewport the page has now. */
export async function layoutFindings(page: Page, context: AuditContext, viewport: ViewportName): Promise<Finding[]> {
  const overflow = await page.evaluate(measureOverflow);
  const targets = await page.evaluate(measureTargets, minTarget);
  return [
    ...overflow.map((m) => ({ ...context, viewport, check: 'overflow' as const, ...m })),
    ...targets.map((m) => ({ ...context, viewport, check: 'target' as const, ...m })),
  ];
}

/** Two animation frames: a change of viewport or of a class has been laid out and painted. */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/** The DevTools session of each page that sets its zoom: an override lasts only as long as its session. */
const zoomSessions = new WeakMap<Page, CDPSession>();

/** The panel's size (1280 × 800, one device pixel to a CSS pixel): any zoom cleared, Playwright's own viewport set. */
export async function atPanelSize(page: Page): Promise<void> {
  await zoomSessions.get(page)?.send('Emulation.clearDeviceMetricsOverride');
  await page.setViewportSize(panel);
  await settled(page);
}

/** The panel at 200 % zoom (see `zoomed`), through the DevTools protocol, which sets the device scale too. */
export async function atDoubleZoom(page: Page): Promise<void> {
  let session = zoomSessions.get(page);
  if (!session) {
    session = await page.context().newCDPSession(page);
    zoomSessions.set(page, session);
  }
  await session.send('Emulation.setDeviceMetricsOverride', { ...zoomed, mobile: false });
  await settled(page);
  const seen = await page.evaluate(() => ({ width: window.innerWidth, scale: window.devicePixelRatio }));
  if (seen.width !== zoomed.width || seen.scale !== zoomed.deviceScaleFactor) throw new Error(`200 % zoom did not take: ${JSON.stringify(seen)}`);
}

/** Every check of the page as it is now, at the panel's size and at 200 % zoom; the page is left at the panel's size. */
export async function auditNow(page: Page, context: AuditContext): Promise<Finding[]> {
  // The page audited is the one in front: a page behind another gets its animation frames a second apart.
  await page.bringToFront();
  await atPanelSize(page);
  const findings = [...(await axeFindings(page, context)), ...(await layoutFindings(page, context, '1280x800'))];
  await atDoubleZoom(page);
  findings.push(...(await layoutFindings(page, context, '200%')));
  await atPanelSize(page);
  return findings;
}

/** One line a finding, grouped by screen, for a failure message and the report. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings
    .map((f) => `${f.screen} [${f.locale}, ${f.mode}, ${f.viewport}] ${f.check}:${f.rule}${f.impact ? ` (${f.impact})` : ''} ${f.element}: ${f.detail}`)
    .join('\n');
}

/**
 * The same offence seen in several languages or modes, once: screen, check, rule and element, with
 * the combinations it was seen in. What a lead assigns.
 */
export function summariseFindings(findings: readonly Finding[]): string {
  const groups = new Map<string, { first: Finding; seen: Set<string> }>();
  for (const f of findings) {
    const key = `${f.screen}|${f.check}|${f.rule}|${f.element}`;
    const group = groups.get(key) ?? { first: f, seen: new Set<string>() };
    group.seen.add(`${f.locale}/${f.mode}/${f.viewport}`);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map(({ first: f, seen }) => `${f.screen} ${f.check}:${f.rule} ${f.element} — ${f.detail} — in ${seen.size} combination(s): ${[...seen].slice(0, 6).join(', ')}${seen.size > 6 ? ' …' : ''}`)
    .join('\n');
}

/** Every finding of a test file in var/screens (a11y-<name>.json in full, .txt summarised), for whoever assigns the fixes. */
export function writeFindingsReport(name: string, findings: readonly Finding[]): void {
  const dir = join(process.cwd(), 'var', 'screens');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `a11y-${name}.json`), `${JSON.stringify(findings, null, 1)}\n`);
  writeFileSync(join(dir, `a11y-${name}.txt`), `${findings.length} findings\n${summariseFindings(findings)}\n`);
}
