import { engine, engineRunner } from '$lib/db/client.svelte';
import type { ReportIssue } from '$lib/report/schema';
import { session } from '$lib/state/session.svelte';
import { ReportParser } from './client';
import { addToSession, isSessionWriter, sha256Hex, type SessionWriter } from './session';

/**
 * The upload list of this page: every file a reader dropped, parsed in the
 * worker one after another, then added to the session's tables. Lives here,
 * not in the view, so it survives switching tabs.
 */
export type UploadStatus = 'queued' | 'parsing' | 'adding' | 'added' | 'failed';

export interface UploadItem {
	id: number;
	name: string;
	size: number;
	status: UploadStatus;
	/** The parser's error code and message (the CLI's wording). */
	code?: string;
	error?: string;
	agency?: string;
	agencyId?: string;
	year?: number;
	template?: string;
	issues: ReportIssue[];
	/** Parse time inside the worker, and from drop to shown. */
	parseMs?: number;
	totalMs?: number;
	replaced?: string | null;
	newAgency?: boolean;
	/** The report's scope (own / aggregate / unknown) and the words it was decided on. */
	scope?: string;
	scopeEvidence?: string;
}

export const uploads = $state<{ items: UploadItem[]; busy: boolean }>({ items: [], busy: false });

let parser: ReportParser | null = null;
let nextId = 1;
let queue: Promise<void> = Promise.resolve();

function writerWhenReady(): Promise<SessionWriter> {
	return new Promise((resolve, reject) => {
		const check = () => {
			if (engine.status === 'error') return reject(new Error(engine.error?.detail ?? 'engine failed'));
			const r = engineRunner();
			if (engine.status === 'ready' && isSessionWriter(r)) return resolve(r);
			setTimeout(check, 100);
		};
		check();
	});
}

/** Queue files for parsing; `assetBase` is the URL the app's pdfjs/ folder sits under. */
export function uploadFiles(files: readonly File[], assetBase: string): void {
	parser ??= new ReportParser(assetBase);
	const p = parser;
	for (const file of files) {
		const item: UploadItem = { id: nextId++, name: file.name, size: file.size, status: 'queued', issues: [] };
		uploads.items.push(item);
		const id = item.id;
		const live = () => uploads.items.find((x) => x.id === id)!;
		queue = queue.then(async () => {
			uploads.busy = true;
			const t0 = performance.now();
			live().status = 'parsing';
			try {
				const [bytes, res] = await Promise.all([file.arrayBuffer(), p.parse(file)]);
				if (!res.ok) {
					Object.assign(live(), { status: 'failed', code: res.code, error: res.error, parseMs: res.ms, totalMs: performance.now() - t0 });
					return;
				}
				Object.assign(live(), {
					status: 'adding',
					agency: res.record.agency,
					year: res.record.year,
					template: res.record.template,
					issues: res.issues,
					parseMs: res.ms
				});
				const db = await writerWhenReady();
				const added = await addToSession(db, {
					record: res.record,
					issues: res.issues,
					provenance: res.provenance,
					scope: res.scope,
					sourceFile: `上传：${file.name}`,
					sha256: await sha256Hex(bytes),
					kind: 'document'
				});
				Object.assign(live(), {
					status: 'added',
					scope: added.report.scope,
					scopeEvidence: added.report.scope_evidence,
					agencyId: added.agency.id,
					replaced: added.replaced,
					newAgency: added.newAgency,
					totalMs: performance.now() - t0
				});
				session.reports = [
					...session.reports.filter((r) => r.report_id !== added.report.report_id),
					{
						report_id: added.report.report_id,
						agency_id: added.agency.id,
						agency: added.report.agency,
						year: added.report.year,
						template: added.report.template,
						file: file.name,
						replaced: added.replaced
					}
				];
				if (added.newAgency) {
					const a = added.agency;
					session.agencies = [...session.agencies, { id: a.id, name: a.name, province: a.province, city: a.city, level: a.level, category: a.category }];
				}
				engine.revision++;
			} catch (e) {
				Object.assign(live(), { status: 'failed', code: 'internal', error: e instanceof Error ? e.message : String(e), totalMs: performance.now() - t0 });
			} finally {
				uploads.busy = uploads.items.some((x) => x.status === 'queued' || x.status === 'parsing' || x.status === 'adding');
			}
		});
	}
}
