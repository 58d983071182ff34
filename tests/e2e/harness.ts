// The browser harness lives with the benchmarks that share it (tests may import product code, not the reverse).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export * from '../../src/cli/bench/browser';

export type Row = Record<string, unknown>;

/**
 * Every row of one table of a dataset folder (static/data, or the copy a test serves), read from
 * its Parquet file as the manifest names it: the expected numbers of the e2e tests come from here,
 * never from the app's own queries.
 */
export async function datasetTable(dir: string, name: string): Promise<Row[]> {
	const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
	const b = readFileSync(join(dir, manifest.files[name]));
	return parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer });
}

export interface Opened {
	context: BrowserContext;
	page: Page;
	/** Uncaught page errors (and console errors when asked for), for the test to assert empty. */
	errors: string[];
}

/** A fresh context (its own cache and storage: a reader opening a link) on `url`, in Chinese, `width` px wide. */
export async function openPage(browser: Browser, url: string, width = 1280, opts: { consoleErrors?: boolean } = {}): Promise<Opened> {
	const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
	const page = await context.newPage();
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
	if (opts.consoleErrors)
		page.on('console', (m) => {
			if (m.type() === 'error') errors.push(`console: ${m.text()}`);
		});
	await page.goto(url);
	return { context, page, errors };
}
