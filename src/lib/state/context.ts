import { getContext, setContext } from 'svelte';
import type { AgencyOption, Snapshot } from '$lib/db/snapshot';
import type { Lang, ViewState } from './url';

/**
 * What the layout gives every page: the dataset (bundled, plus this
 * session's uploads), the agency directory, the view state read from the
 * URL, and the way to change it (through the URL, so every view can be
 * linked).
 */
export interface ViewContext {
	readonly snapshot: Snapshot;
	/**
	 * The agency directory (db/directory.ts) with this session's uploaded
	 * agencies: empty until read. A page that shows names or a picker asks
	 * for it (loadAgencies); a link naming agencies has it read before the
	 * view opens.
	 */
	readonly agencies: readonly AgencyOption[];
	readonly agenciesStatus: 'idle' | 'loading' | 'ready' | 'failed';
	/** Why the directory could not be read. */
	readonly directoryError: string | null;
	agency(id: string | null): AgencyOption | null;
	loadAgencies(): Promise<void>;
	readonly view: ViewState;
	readonly lang: Lang;
	/** Change the view: the URL changes, replacing the history entry unless `push`. */
	update(patch: Partial<ViewState>, push?: boolean): void;
	/** The link of a view state (its page and query string), pinned to the dataset version. */
	href(state: ViewState): string;
}

const KEY = Symbol('nianbao-view');

export function setViewContext(ctx: ViewContext): void {
	setContext(KEY, ctx);
}

export function viewContext(): ViewContext {
	const ctx = getContext<ViewContext | undefined>(KEY);
	if (!ctx) throw new Error('viewContext: outside the layout');
	return ctx;
}
