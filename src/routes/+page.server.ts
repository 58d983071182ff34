import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildSnapshot, packSnapshot } from '$lib/db/snapshot';
import type { PageServerLoad } from './$types';

// Runs once, at prerender: the default overview's numbers go into the page so
// the first chart does not wait for DuckDB-WASM.
export const prerender = true;

// The dataset is static/data unless NIANBAO_STATIC names another static
// folder (the benchmark builds the site against generated datasets; the
// same variable tells svelte.config.js which folder to ship).
const DATA = join(resolve(process.env.NIANBAO_STATIC || 'static'), 'data');

async function read(file: string): Promise<ArrayBuffer | null> {
	try {
		const b = await readFile(join(DATA, file));
		return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw e;
	}
}

// Inlined in the page packed (see packSnapshot); +page.ts unpacks it.
export const load: PageServerLoad = async () => ({ snapshot: packSnapshot(await buildSnapshot(read)) });
