import { asset } from '$app/paths';
import type { TableName } from '$lib/dataset/columns';
import type { EngineProgress } from './engine';
import type { LoadErrorCode } from './errors';
import type { Runner } from './queries';
import { queryOn, type Query } from './query.svelte';
import type { Manifest } from '$lib/dataset/columns';
import { earlyAnswers, type EarlyAnswers } from './early';
import type { StoredCap } from './answers';

/**
 * The one DuckDB of the page, as reactive status. Views read `engine.status`
 * and ask `engineRunner()` once it is ready; until then they show the
 * prerendered numbers or a skeleton.
 */

export interface EngineFailure {
	code: LoadErrorCode;
	file: string | null;
	detail: string;
}

export const engine = $state<{
	status: 'idle' | 'starting' | 'ready' | 'error';
	progress: EngineProgress | null;
	error: EngineFailure | null;
	manifest: Manifest | null;
	/** ms from navigation start, for the progress line and the benchmark. */
	readyAt: number | null;
	/** Tables being read on demand right now (e.g. facts for an agency profile). */
	loading: TableName[];
	/** Bumped when rows are added to the loaded tables (an uploaded report): queries ask again. */
	revision: number;
	/** A view asked about an agency the build stored no answers for (MAX_STORED_AGENCIES): it waits for DuckDB. */
	notStored: StoredCap | null;
}>({ status: 'idle', progress: null, error: null, manifest: null, readyAt: null, loading: [], revision: 0, notStored: null });

let runner: Runner | null = null;
let engineModified: () => boolean = () => false;
let early: EarlyAnswers | null = null;
let remembering: Runner | null = null;

export function engineRunner(): Runner | null {
	return runner;
}

/** Whether the page's data is still the bundled dataset as built (no uploaded rows): only then are stored answers shown or stored. */
const pristine = () => engine.revision === 0 && !engineModified();

/**
 * Let views draw from stored answers (db/early.ts) of dataset `version`
 * before DuckDB is ready; `shards`: the build's per-agency answer files.
 * Called once in the browser, before the views' queries start.
 */
export function useEarlyAnswers(version: string, shards: number): void {
	const base = new URL(asset('/answers/'), location.href);
	early ??= earlyAnswers(
		version,
		shards,
		(file) => new URL(file, base).href,
		(_, cap) => (engine.notStored = cap)
	);
}

/** How long DuckDB's start waits, at most, for a view to draw from stored answers. */
const EARLY_WAIT_MS = 1500;

/**
 * Resolves once the views drew from stored answers (or found none), at most
 * EARLY_WAIT_MS: what a link's first chart does not need (DuckDB, the whole
 * agency directory) waits for it rather than take the network and the CPU.
 */
export function afterFirstDraw(): Promise<void> {
	return early ? Promise.race([early.settled(), new Promise<void>((r) => setTimeout(r, EARLY_WAIT_MS))]) : Promise.resolve();
}

export async function startEngine(): Promise<void> {
	if (engine.status !== 'idle') return;
	engine.status = 'starting';
	try {
		// A link's view draws from stored answers first: DuckDB's start (decoding the data on this thread,
		// compiling the wasm) would hold that drawing back on a busy CPU, so it waits for it to be painted.
		if (early) {
			// At most EARLY_WAIT_MS: a stalled answer file must not keep DuckDB from starting.
			await afterFirstDraw();
			await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
		}
		const { Engine } = await import('./engine');
		// Data files sit beside the manifest.
		const manifestUrl = new URL(asset('/data/manifest.json'), location.href);
		// The build's start data (db/start.ts) beside the pages.
		const startBase = new URL(asset('/start/'), location.href);
		const reading = new Map<TableName, number>();
		const e = await Engine.start(
			{ data: (file) => new URL(file, manifestUrl).href, start: (file) => new URL(file, startBase).href },
			(p) => (engine.progress = { ...p }),
			{
				onLoad: ({ table, state }) => {
					reading.set(table, (reading.get(table) ?? 0) + (state === 'loading' ? 1 : -1));
					if (!reading.get(table)) reading.delete(table);
					engine.loading = [...reading.keys()];
				}
			}
		);
		runner = e;
		engineModified = () => e.modified;
		remembering = early ? early.remembering(e, pristine) : e;
		engine.manifest = e.manifest;
		engine.readyAt = Math.round(performance.now());
		performance.mark('nianbao:engine-ready');
		engine.status = 'ready';
	} catch (err) {
		const e = err as Partial<EngineFailure> & { message?: string };
		engine.error = { code: e.code ?? 'engine_failed', file: e.file ?? null, detail: e.detail ?? e.message ?? String(err) };
		engine.status = 'error';
	}
}

/** A view's query over the page's DuckDB: see queryOn (db/query.svelte.ts). */
export function createQuery<A, T>(args: () => A | null, run: (db: Runner, args: A) => Promise<T>): Query<T> {
	return queryOn(
		{
			runner: () => (engine.status === 'ready' ? remembering : null),
			revision: () => engine.revision,
			early: () => (pristine() && early ? early.runner : null)
		},
		args,
		run
	);
}
