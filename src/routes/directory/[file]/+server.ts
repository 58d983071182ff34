import { DATA_DIR } from '$lib/server/data-dir';
import { prerenderedFiles } from '$lib/server/prerendered-files';
import { buildDirectory } from '$lib/server/snapshot';
import type { EntryGenerator, RequestHandler } from './$types';

// The agency directory (db/directory.ts), written at prerender beside the pages: build/directory/agencies.json and its
// shards by id, build/directory/ids-<n>.json.
export const prerender = true;

const directory = prerenderedFiles(
	'directory',
	() => buildDirectory(DATA_DIR),
	(_, file) => new Response(JSON.stringify(file), { headers: { 'content-type': 'application/json' } })
);

export const entries: EntryGenerator = directory.entries;
export const GET: RequestHandler = directory.GET;
