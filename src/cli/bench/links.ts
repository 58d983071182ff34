import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AnswerShard } from '../../lib/db/answers';
import { serve } from './browser';

/**
 * Shared links opened over a throttled network (Chrome DevTools Protocol
 * Network.emulateNetworkConditions, the page and its workers): the time from
 * navigation to the first chart drawn (an SVG in a chart card, and what the
 * link names beside it: Link.also), cold (fresh
 * context, empty cache) and warm (the same link again, in a new tab of the
 * same context: HTTP cache filled).
 */

export const THROTTLE = { latencyMs: 40, mbitPerSecond: 20 };

export interface LinkTimes {
	label: string;
	path: string;
	cold: number;
	warm: number;
	/** Bytes the server had sent when the first chart was drawn, cold and warm (this open only). */
	coldBytes: number;
	warmBytes: number;
	/** What drew the first chart, cold and warm: see drawnBy. */
	coldBy: DrawnBy | null;
	warmBy: DrawnBy | null;
	/** Opens whose chart was not drawn within the link timeout (their time is NaN): 'cold', 'warm'. */
	notDrawn: ('cold' | 'warm')[];
	error?: string;
}

/**
 * How long a link may take to draw its first chart before it is recorded as
 * not drawn, and how long the cold open then waits for DuckDB (so the warm
 * open finds its files cached) before the warm open goes ahead anyway.
 */
export interface LinkLimits {
	drawMs: number;
	settleMs: number;
}

/**
 * Where the first chart's numbers came from: the page's prerendered snapshot
 * (the default overview), stored answers while DuckDB started (the build's
 * answer files or the browser's cache: db/answers.ts), or DuckDB itself.
 */
export type DrawnBy = 'prerendered' | 'stored' | 'duckdb';

/** What a link must show to count as drawn: its first chart, and for some links more (`also`: a selector). */
export interface Link {
	label: string;
	path: string;
	also?: string;
	/** What `also` waits for is not drawn by the view's first query: the page's data-early does not say what drew it (DrawnBy left null). */
	byUnknown?: boolean;
}

/**
 * The agencies a site's links name: `stored`, two the build stored answers
 * for (the headline figures); `unstored`, two it did not (beyond
 * MAX_STORED_AGENCIES their links wait for DuckDB), empty when it stored
 * every agency.
 */
export interface LinkAgencies {
	stored: readonly string[];
	unstored: readonly string[];
}

/**
 * The ids the site's build stored answers for, read from its answer files;
 * null when it stored them for every agency (no file says it was capped).
 */
export function storedAgencyIds(siteDir: string): Set<string> | null {
	const dir = join(siteDir, 'answers');
	let stored: Set<string> | null = null;
	for (const name of readdirSync(dir)) {
		if (!/^agencies-\d+\.json$/.test(name)) continue;
		const { capped } = JSON.parse(readFileSync(join(dir, name), 'utf8')) as AnswerShard;
		if (!capped) return null;
		stored ??= new Set();
		for (const id of capped.here) stored.add(id);
	}
	return stored;
}

/**
 * Two of `candidates` (sorted ids) with stored answers and two without: the
 * middle ones of each (neither the first nor the last row group of the files).
 */
export function pickLinkAgencies(candidates: readonly string[], stored: ReadonlySet<string> | null): LinkAgencies {
	const middle = (ids: readonly string[]) => ids.slice(Math.floor(ids.length / 2), Math.floor(ids.length / 2) + 2);
	if (!stored) return { stored: middle(candidates), unstored: [] };
	return { stored: middle(candidates.filter((id) => stored.has(id))), unstored: middle(candidates.filter((id) => !stored.has(id))) };
}

/** Marks the label of a link whose agencies have no stored answers. */
export const UNSTORED = ' — agencies without stored answers';

/**
 * The links measured for a dataset: the default overview, and one of each
 * view a link can name, for agencies with stored answers; and, when the
 * build stored answers for only some agencies, the links naming agencies
 * again for two without (a row of their own: they wait for DuckDB).
 */
export function linksOf(agencies: LinkAgencies): Link[] {
	const naming = (label: string, [a, b]: readonly string[]): Link[] => [
		{ label: `Compare, two agencies${label}`, path: `/compare?ag=${a},${b}` },
		{ label: `Agency profile${label}`, path: `/agency?a=${a}` },
		// The peer band of the second agency (基准机关): drawn once its note (group, size) is in the chart's legend.
		{ label: `Compare, peer band of 基准机关${label}`, path: `/compare?ag=${a},${b}&peers=1&pr=${b}`, also: '[data-testid="peer-note"]' },
		// The profile's benchmark table beside its peers (与同类机关比较).
		{ label: `Agency profile, benchmark${label}`, path: `/agency?a=${a}`, also: 'section[data-ready="true"] [data-testid="benchmark"]' },
		// The report's printed tables (表二–表四) and its issues: cells of facts, from the agency's detail file (answers/detail-<n>.json) when stored.
		{
			label: `Agency profile, printed tables${label}`,
			path: `/agency?a=${a}`,
			also: '[data-view="agency"][data-ready="true"] section.printed',
			byUnknown: true
		}
	];
	const [compare, profile, band, bench, printed] = naming('', agencies.stored);
	return [
		{ label: 'Overview (default)', path: '/' },
		compare,
		{ label: 'Outcomes', path: '/outcomes?by=agency' },
		profile,
		band,
		bench,
		printed,
		...(agencies.unstored.length >= 2 ? naming(UNSTORED, agencies.unstored) : [])
	];
}

async function throttle(context: BrowserContext, page: Page): Promise<void> {
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	const bytesPerSecond = (THROTTLE.mbitPerSecond * 1e6) / 8;
	await cdp.send('Network.emulateNetworkConditions', {
		offline: false,
		latency: THROTTLE.latencyMs,
		downloadThroughput: bytesPerSecond,
		uploadThroughput: bytesPerSecond
	});
}

/**
 * Open `url` in a new throttled tab: milliseconds from navigation start to
 * the first chart's SVG, and `sent()` then; null when no chart was drawn
 * within `limits.drawMs` (recorded, the run goes on).
 */
async function firstChart(
	context: BrowserContext,
	url: string,
	sent: () => number,
	limits: LinkLimits,
	also?: string
): Promise<{ at: number; bytes: number; by: DrawnBy } | null> {
	const page = await context.newPage();
	try {
		await throttle(context, page);
		await page.goto(url, { waitUntil: 'commit' });
		const drawn = await page
			.waitForFunction((more) => document.querySelector('[data-chart] svg') !== null && (!more || document.querySelector(more) !== null), also ?? null, {
				timeout: limits.drawMs,
				polling: 'raf'
			})
			.then(() => true)
			.catch(() => false);
		if (!drawn) return null;
		const at = await page.evaluate(() => performance.now());
		const bytes = sent();
		const early = await page.evaluate(() => document.querySelector('[data-view]')?.getAttribute('data-early') ?? null);
		const by: DrawnBy = early === 'true' ? 'stored' : early === 'false' ? 'duckdb' : 'prerendered';
		// Not timed: the rest of the page's loading, so the warm open finds DuckDB's files cached; bounded, as the
		// warm open draws from stored answers without them (at 100,000 reports over 20 Mbit/s this can take minutes).
		await page.waitForSelector('[data-engine="ready"], [data-engine="error"]', { timeout: limits.settleMs }).catch(() => {});
		return { at, bytes, by };
	} finally {
		await page.close();
	}
}

/** The least time the throttled network needs to deliver `bytes` (one round trip, then the bandwidth). */
export function floorMs(bytes: number): number {
	return THROTTLE.latencyMs + (bytes * 8) / (THROTTLE.mbitPerSecond * 1e3);
}

export async function measureLinks(browser: Browser, dir: string, agencies: LinkAgencies, limits: LinkLimits): Promise<LinkTimes[]> {
	const out: LinkTimes[] = [];
	for (const { label, path, also, byUnknown } of linksOf(agencies)) {
		const server = await serve(dir);
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const sent = () => [...server.sent.values()].reduce((a, b) => a + b, 0);
		const r: LinkTimes = { label, path, cold: NaN, warm: NaN, coldBytes: NaN, warmBytes: NaN, coldBy: null, warmBy: null, notDrawn: [] };
		try {
			const cold = await firstChart(context, server.origin + path, sent, limits, also);
			if (cold) Object.assign(r, { cold: cold.at, coldBytes: cold.bytes, coldBy: byUnknown ? null : cold.by });
			else r.notDrawn.push('cold');
			const before = sent();
			const warm = await firstChart(context, server.origin + path, () => sent() - before, limits, also);
			if (warm) Object.assign(r, { warm: warm.at, warmBytes: warm.bytes, warmBy: byUnknown ? null : warm.by });
			else r.notDrawn.push('warm');
		} catch (e) {
			r.error = e instanceof Error ? e.message.split('\n')[0] : String(e);
		} finally {
			await context.close();
			await server.close();
		}
		out.push(r);
	}
	return out;
}
