import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildSnapshot, packSnapshot } from '$lib/db/snapshot';
import type { LayoutServerLoad } from './$types';

// Runs at prerender: the default overview's numbers, and the agencies and
// years the filters offer, go into every page so the first chart does not
// wait for DuckDB-WASM. Built once for all the pages.
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

let packed: Promise<ReturnType<typeof packSnapshot>> | null = null;

// Inlined in the page packed (see packSnapshot); +layout.ts unpacks it.
export const load: LayoutServerLoad = async () => {
	packed ??= buildSnapshot(read).then(packSnapshot);
	return { snapshot: await packed };
};
