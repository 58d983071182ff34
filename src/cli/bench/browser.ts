import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { siteHandler, siteServer } from '../site/server';

/**
 * The browser harness shared by the e2e tests and the dashboard benchmark:
 * a build of the site (reused while newer than its sources), the dashboard's
 * own server (precompressed copies, cache headers) on 127.0.0.1 counting the
 * bytes it sends, and Debian's headless Chromium.
 */

export const ROOT = process.cwd();
export const BUILD = join(ROOT, 'build');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

const SOURCES = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json', 'package-lock.json'];

function newest(path: string): number {
	if (!existsSync(path)) return 0;
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	return readdirSync(path).reduce((m, f) => Math.max(m, newest(join(path, f))), s.mtimeMs);
}

/** Build the site unless build/ is newer than everything it is built from. */
export function ensureBuild(): void {
	const index = join(BUILD, 'index.html');
	const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
	const sources = Math.max(...SOURCES.map((s) => newest(join(ROOT, s))));
	if (builtAt > sources) return;
	// The production build whoever asks: under vitest NODE_ENV is 'test', and Vite would then resolve Svelte's development build.
	const r = spawnSync('npx', ['vite', 'build'], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		encoding: 'utf8',
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface StaticServer {
	origin: string;
	/** Bytes of response bodies sent, by request path. */
	sent: Map<string, number>;
	close(): Promise<void>;
}

/** Serve a directory on 127.0.0.1, port chosen by the OS. */
export async function serve(dir: string = BUILD): Promise<StaticServer> {
	const handler = siteHandler(dir);
	const sent = new Map<string, number>();
	const server = siteServer((req, res) => {
		const path = (req.url ?? '/').split('?')[0];
		const count = (chunk: unknown) => {
			if (chunk && typeof chunk !== 'function') sent.set(path, (sent.get(path) ?? 0) + Buffer.byteLength(chunk as Buffer));
		};
		const write = res.write.bind(res);
		const end = res.end.bind(res);
		res.write = ((chunk: unknown, ...rest: unknown[]) => (count(chunk), write(chunk as Buffer, ...(rest as [])))) as typeof res.write;
		res.end = ((chunk?: unknown, ...rest: unknown[]) => (count(chunk), end(chunk as Buffer, ...(rest as [])))) as typeof res.end;
		handler(req, res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		sent,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

export function launch(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
