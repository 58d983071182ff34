import { registerDocumentAdapters } from '../lib/report/adapters/index';

/** The CLI reads every format the parser has an adapter for (PDF and Word included). */
export function registerAdapters(): void {
	registerDocumentAdapters();
}
