import { getContext, setContext } from 'svelte';
import type { Snapshot } from '$lib/db/snapshot';
import type { ViewState } from '$lib/state/url';

/**
 * What every chart's export stamps on the image: the dataset (version and
 * uploads) and the view's filters. Set once by the page, read by ChartCard.
 */
export interface ExportInfo {
	snapshot: Snapshot;
	view: ViewState;
	/** Reports uploaded in this session (they are mixed into the numbers). */
	uploads: number;
}

const KEY = Symbol('nianbao-export');

export function setExportContext(get: () => ExportInfo): void {
	setContext(KEY, get);
}

export function getExportContext(): (() => ExportInfo) | undefined {
	return getContext<(() => ExportInfo) | undefined>(KEY);
}
