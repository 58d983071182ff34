import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { building } from '$app/environment';
import { error } from '@sveltejs/kit';
import { VIEWS_SHARD_FILE, detailShardFile } from '$lib/db/answers';
import { DATA_DIR, storedAgencyCap } from '$lib/server/data-dir';
import { buildAnswers, buildDetailAnswers } from '$lib/server/answers';
import type { EntryGenerator, RequestHandler } from './$types';

// The build's answer files (lib/server/answers.ts), written at prerender
// beside the pages: build/answers/<file>. The detail files are too many
// bytes to hold (~1.5 GB of JSON at the stored agencies' cap): they are
// built only when first asked for (not to list them: one per answer file),
// and wait on disk until written.
export const prerender = true;

let shards: ReturnType<typeof buildAnswers> | null = null;
const answers = () => (shards ??= buildAnswers(DATA_DIR, storedAgencyCap()));

let details: Promise<{ dir: string; files: Set<string> }> | null = null;
const detail = () =>
	(details ??= (async () => {
		const dir = mkdtempSync(join(tmpdir(), 'nianbao-detail-'));
		return { dir, files: new Set(await buildDetailAnswers(DATA_DIR, dir, storedAgencyCap())) };
	})());

/** The agencies' answer files, and beside each its detail file. */
async function files(): Promise<string[]> {
	const names = [...(await answers()).keys()];
	const n = names.filter((f) => f !== VIEWS_SHARD_FILE).length;
	return [...names, ...Array.from({ length: n }, (_, i) => detailShardFile(i))];
}

export const entries: EntryGenerator = async () => (await files()).map((file) => ({ file }));

export const GET: RequestHandler = async ({ params }) => {
	const json = (text: string) => new Response(text, { headers: { 'content-type': 'application/json' } });
	const shard = (await answers()).get(params.file);
	if (shard) return json(JSON.stringify(shard));
	if (!(await files()).includes(params.file)) error(404, `no answer file ${params.file}`);
	const { dir, files: built } = await detail();
	if (!built.has(params.file)) error(404, `no answer file ${params.file}`);
	const text = readFileSync(join(dir, params.file), 'utf8');
	// The prerender asks for each file once: the folder goes with the last (the build's process may end without an exit event).
	if (building) {
		rmSync(join(dir, params.file));
		built.delete(params.file);
		if (!built.size) rmSync(dir, { recursive: true, force: true });
	}
	return json(text);
};
