// The browser harness lives with the benchmarks that share it (tests may import product code, not the reverse).
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import type { Browser, BrowserContext, Download, Page, Route } from 'playwright-core';
import { BUILD, ensureBuild, launch, serve, type StaticServer } from '../../src/cli/bench/browser';

export * from '../../src/cli/bench/browser';

export type Row = Record<string, unknown>;

/**
 * Every row of one table of a dataset folder (static/data, or the copy a test serves), read from
 * its Parquet parts as the manifest names them: the expected numbers of the e2e tests come from here,
 * never from the app's own queries.
 */
export async function datasetTable(dir: string, name: string, columns?: string[]): Promise<Row[]> {
	const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, string[]> };
	// Every part, in the manifest's order.
	const rows: Row[] = [];
	for (const file of manifest.files[name]) for (const row of await parquetRows(readFileSync(join(dir, file)), columns)) rows.push(row);
	return rows;
}

/** The rows of Parquet bytes (a dataset file, a download), all columns or those named. */
export function parquetRows(bytes: Buffer, columns?: string[]): Promise<Row[]> {
	return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, columns });
}

/** What `click` downloads: the file's suggested name and its bytes. */
export async function downloaded(page: Page, click: () => Promise<unknown>): Promise<{ name: string; bytes: Buffer }> {
	const [dl]: [Download, unknown] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()]);
	return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
}

/**
 * A CSV download as rows of cells, read here by RFC 4180 rather than by the
 * app's own code: the UTF-8 BOM dropped, quoted cells may hold commas, quotes
 * ("") and line ends, rows end with CRLF (the last one's optional).
 */
export function csvRows(csv: string | Buffer): string[][] {
	const text = (typeof csv === 'string' ? csv : csv.toString('utf8')).replace(/^\uFEFF/, '');
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(cell);
			cell = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i++;
		} else cell += c;
	}
	if (cell || row.length) rows.push([...row, cell]);
	return rows;
}

export interface Opened {
	context: BrowserContext;
	page: Page;
	/** Uncaught page errors (and console errors when asked for), for the test to assert empty. */
	errors: string[];
}

export interface OpenOptions {
	/** Collect console errors too, not only uncaught page errors. */
	consoleErrors?: boolean;
	/** Runs on the fresh context before the page opens: to record its requests, route them or grant permissions. */
	prepare?: (context: BrowserContext) => Promise<void> | void;
}

/** A fresh context (its own cache and storage: a reader opening a link) on `url`, in Chinese, `width` px wide. */
export async function openPage(browser: Browser, url: string, width = 1280, opts: OpenOptions = {}): Promise<Opened> {
	const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
	await opts.prepare?.(context);
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

export interface Site {
	server: StaticServer;
	browser: Browser;
	/** The served copy's dataset folder: expected numbers come from the very files the page loads. */
	data: string;
	/** A scratch folder of the test's own (the copy is its site/), deleted on close. */
	tmp: string;
	/** Close the browser and the server, and delete the scratch folder. */
	close(): Promise<void>;
}

/**
 * Build the site if stale, serve a private copy of it and launch Chromium: a
 * rebuild of build/ by another process while the tests run cannot pull files
 * from under the server. `prefix` names the scratch folder in the OS's temp.
 */
export async function serveBuildCopy(prefix: string): Promise<Site> {
	ensureBuild();
	const tmp = mkdtempSync(join(tmpdir(), prefix));
	// Undone last first, each once: by close(), or at once when a later step of the set-up fails.
	const undo: (() => unknown)[] = [() => rmSync(tmp, { recursive: true, force: true })];
	const close = async () => {
		while (undo.length) await undo.pop()!();
	};
	try {
		const dir = join(tmp, 'site');
		cpSync(BUILD, dir, { recursive: true });
		const server = await serve(dir);
		undo.push(() => server.close());
		const browser = await launch();
		undo.push(() => browser.close());
		return { server, browser, data: join(dir, 'data'), tmp, close };
	} catch (e) {
		await close();
		throw e;
	}
}

/** Holds DuckDB's WebAssembly back in `context` until `release()`: the engine cannot be ready before. */
export async function holdWasm(context: BrowserContext): Promise<{ release: () => void }> {
	const held: Route[] = [];
	let released = false;
	await context.route('**/*.wasm', (route) => (released ? route.continue() : void held.push(route)));
	return {
		release: () => {
			released = true;
			for (const r of held.splice(0)) void r.continue();
		}
	};
}
