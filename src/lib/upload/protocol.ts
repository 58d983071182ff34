import type { Provenance } from '../report/provenance';
import type { ScopeStatement } from '../agencies/scope';
import type { ReportIssue, ReportRecord } from '../report/schema';

/** Messages between the page and the parse worker. */
export interface ParseConfig {
	type: 'config';
	/** Where the app serves pdf.js's cmaps/ and standard_fonts/ (never a CDN). */
	cMapUrl: string;
	standardFontDataUrl: string;
}

export interface ParseRequest {
	type: 'parse';
	id: number;
	name: string;
	bytes: ArrayBuffer;
}

export type ParseResponse =
	| { id: number; ok: true; name: string; record: ReportRecord; issues: ReportIssue[]; provenance?: Provenance; scope: ScopeStatement | null; ms: number }
	| { id: number; ok: false; name: string; code: string; error: string; ms: number };
