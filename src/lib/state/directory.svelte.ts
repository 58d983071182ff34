import { asset } from '$app/paths';
import { DIRECTORY_FILE, unpackAgencies, type DirectoryFile } from '$lib/db/directory';
import type { AgencyOption } from '$lib/db/snapshot';

/**
 * The agency directory in the page (db/directory.ts): read once, when
 * something needs names (a link naming agencies, a picker). Held raw: at a
 * national scale it is 150,000 rows, which a deep proxy would only slow.
 */
class Directory {
	status = $state<'idle' | 'loading' | 'ready' | 'failed'>('idle');
	/** Why it could not be read (status 'failed'). */
	error = $state<string | null>(null);
	agencies = $state.raw<readonly AgencyOption[]>([]);
	ids = $state.raw<ReadonlySet<string>>(new Set());
}

export const directory = new Directory();

let reading: Promise<void> | null = null;

/** Read the directory of dataset `version` (once; later calls wait for the same read). */
export function loadDirectory(version: string): Promise<void> {
	reading ??= (async () => {
		directory.status = 'loading';
		try {
			const url = new URL(asset(`/directory/${DIRECTORY_FILE}`), location.href);
			const r = await fetch(url);
			if (!r.ok) throw new Error(`${url.pathname}: HTTP ${r.status}`);
			const file = (await r.json()) as DirectoryFile;
			if (file.version !== version) throw new Error(`${url.pathname}: dataset ${file.version}, the page's is ${version}`);
			const agencies = unpackAgencies(file.agencies);
			directory.agencies = agencies;
			directory.ids = new Set(agencies.map((a) => a.id));
			directory.status = 'ready';
		} catch (e) {
			directory.error = e instanceof Error ? e.message : String(e);
			directory.status = 'failed';
		}
	})();
	return reading;
}
