import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { Runner } from './queries';
import { queryOn, type Query, type QuerySource } from './query.svelte';

/** A runner whose answers the test releases one by one, in any order. */
function deferredRunner() {
	const pending: { args: unknown; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
	const runner: Runner = { query: async () => [] };
	const run = (_db: Runner, args: unknown) => new Promise<string>((resolve, reject) => pending.push({ args, resolve, reject }));
	return { runner, run, pending };
}

/** Lets the answers' promise callbacks run, then the effects they schedule. */
async function settle() {
	await new Promise((r) => setTimeout(r, 0));
	flushSync();
}

function setup(initial: { n: number } | null) {
	const r = deferredRunner();
	const state = $state({ args: initial, ready: true, revision: 0 });
	const source: QuerySource = { runner: () => (state.ready ? r.runner : null), revision: () => state.revision };
	let q!: Query<string>;
	const stop = $effect.root(() => {
		q = queryOn(source, () => state.args, r.run);
	});
	flushSync();
	return { ...r, state, q: () => q, stop };
}

describe('a query (queryOn)', () => {
	it('keeps only the answer to the latest args, whatever order answers come in', async () => {
		const s = setup({ n: 1 });
		s.state.args = { n: 2 };
		flushSync();
		expect(s.pending.map((p) => p.args)).toEqual([{ n: 1 }, { n: 2 }]);
		s.pending[1].resolve('two');
		await settle();
		s.pending[0].resolve('one'); // overtaken: dropped
		await settle();
		expect(s.q().data).toBe('two');
		expect(s.q().fresh).toBe(true);
		expect(s.q().busy).toBe(false);
		s.stop();
	});

	it('is busy while the current args have no answer, and keeps the last answer meanwhile', async () => {
		const s = setup({ n: 1 });
		expect(s.q().busy).toBe(true);
		s.pending[0].resolve('one');
		await settle();
		s.state.args = { n: 2 };
		flushSync();
		expect(s.q()).toMatchObject({ data: 'one', fresh: false, busy: true });
		s.stop();
	});

	it('asks nothing for equal args, nothing without args, and again when the data changes', async () => {
		const s = setup({ n: 1 });
		s.pending[0].resolve('one');
		await settle();
		s.state.args = { n: 1 };
		flushSync();
		expect(s.pending).toHaveLength(1);
		s.state.args = null;
		flushSync();
		expect(s.pending).toHaveLength(1);
		expect(s.q().busy).toBe(false);
		s.state.args = { n: 1 };
		s.state.revision++;
		flushSync();
		expect(s.pending).toHaveLength(2);
		s.stop();
	});

	it('waits for the engine, then asks', () => {
		const s = setup({ n: 1 });
		s.stop();
		const t = deferredRunner();
		const state = $state({ ready: false });
		const stop = $effect.root(() => {
			queryOn({ runner: () => (state.ready ? t.runner : null), revision: () => 0 }, () => ({ n: 1 }), t.run);
		});
		flushSync();
		expect(t.pending).toHaveLength(0);
		state.ready = true;
		flushSync();
		expect(t.pending).toHaveLength(1);
		stop();
	});

	it('reports a failure as text, drops the failure of an overtaken question, and clears it on success', async () => {
		const s = setup({ n: 1 });
		s.pending[0].reject(new Error('Binder Error: no such column'));
		await settle();
		expect(s.q().error).toBe('Binder Error: no such column');
		s.state.args = { n: 2 };
		flushSync();
		s.state.args = { n: 3 };
		flushSync();
		s.pending[1].reject(new Error('overtaken'));
		s.pending[2].resolve('three');
		await settle();
		expect(s.q()).toMatchObject({ data: 'three', error: null, fresh: true });
		s.stop();
	});

	it('before the engine, draws from stored answers (early) and asks the engine again once it is ready; a miss waits', async () => {
		const stored: Runner = { query: async () => [] };
		const state = $state({ ready: false, args: { n: 1 } });
		const live: { args: unknown; resolve: (v: string) => void }[] = [];
		const run = (db: Runner, args: { n: number }) =>
			db === stored
				? args.n === 1
					? Promise.resolve('stored one')
					: Promise.reject(new Error('no stored answer'))
				: new Promise<string>((resolve) => live.push({ args, resolve }));
		let q!: Query<string>;
		const stop = $effect.root(() => {
			q = queryOn(
				{ runner: () => (state.ready ? ({ query: async () => [] } as Runner) : null), revision: () => 0, early: () => stored },
				() => state.args,
				run
			);
		});
		flushSync();
		await settle();
		expect(q).toMatchObject({ data: 'stored one', early: true, fresh: true, error: null });
		state.args = { n: 2 };
		flushSync();
		await settle();
		// No stored answer: the last answer stays, not fresh, and no error is shown.
		expect(q).toMatchObject({ data: 'stored one', fresh: false, busy: true, error: null });
		state.ready = true;
		flushSync();
		expect(live.map((l) => l.args)).toEqual([{ n: 2 }]);
		live[0].resolve('engine two');
		await settle();
		expect(q).toMatchObject({ data: 'engine two', early: false, fresh: true });
		stop();
	});
});
