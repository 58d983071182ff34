import { error } from '@sveltejs/kit';
import { DIRECTORY_FILE, type DirectoryFile } from '$lib/db/directory';
import { DATA_DIR } from '$lib/server/data-dir';
import { buildDirectory } from '$lib/server/snapshot';
import type { EntryGenerator, RequestHandler } from './$types';

// The agency directory (db/directory.ts), written at prerender beside the pages: build/directory/agencies.json.
export const prerender = true;

let built: Promise<DirectoryFile> | null = null;

export const entries: EntryGenerator = () => [{ file: DIRECTORY_FILE }];

export const GET: RequestHandler = async ({ params }) => {
	if (params.file !== DIRECTORY_FILE) error(404, `no directory file ${params.file}`);
	built ??= buildDirectory(DATA_DIR);
	return new Response(JSON.stringify(await built), { headers: { 'content-type': 'application/json' } });
};
