import { describe, expect, it } from 'vitest';
import { METRICS } from '$lib/catalog/metrics';
import {
	addAgencies,
	DEFAULT_TABLE_METRICS,
	MAX_AGENCIES,
	MAX_LINK,
	defaultState,
	isTableSortKey,
	hrefOf,
	isDefaultView,
	parseState,
	TAB_ROUTES,
	tabOfRoute,
	TABS,
	toSearch,
	withLegacyProfileYear,
	type ViewState,
	type Vocabulary
} from './url';

const vocab: Vocabulary = {
	agencies: new Set(['a1', 'a2', 'a3']),
	years: [2019, 2020, 2021, 2022, 2023, 2024, 2025],
	provinces: new Set(['福建省']),
	cities: new Set(['福州市']),
	levels: new Set(['县', '乡']),
	categories: new Set(['公安', '人民政府'])
};

describe('share-link state', () => {
	it('round-trips every part of a view through the query string', () => {
		const state: ViewState = {
			...defaultState(),
			tab: 'compare',
			from: 2020,
			to: 2024,
			province: '福建省',
			city: '福州市',
			level: '县',
			category: '公安',
			q: '平潭 & 100%',
			agencies: ['a2', 'a1'],
			metric: 'not_held_rate',
			year: 2022,
			chart: 'bars',
			log: true,
			reconcileYear: 2021,
			sort: 'y2022',
			desc: false,
			agency: 'a3',
			lang: 'en',
			v: '54a0a7377e21'
		};
		const search = toSearch(state);
		// the view is the page: the query string holds the rest
		expect(parseState(new URLSearchParams(search), vocab)).toEqual({ state: { ...state, tab: 'overview' }, notices: [] });
		expect(hrefOf(state)).toBe(`/compare${search}`);
	});

	it("round-trips the table builder's metrics, layout and order, and drops what the catalog lacks with a notice", () => {
		const state: ViewState = {
			...defaultState(),
			agencies: ['a3', 'a1'],
			category: '公安',
			metrics: ['requests_received', 'review_correction_rate', 'fee_revenue'],
			pivot: true,
			tableSort: 'fee_revenue@2024',
			tableDesc: true
		};
		const search = toSearch(state);
		expect(search).toContain('bm=requests_received%2Creview_correction_rate%2Cfee_revenue');
		expect(parseState(new URLSearchParams(search), vocab)).toEqual({ state, notices: [] });
		// The default columns leave no trace in the link.
		expect(toSearch({ ...defaultState(), metrics: [...DEFAULT_TABLE_METRICS] })).toBe('');
		const bad = parseState(new URLSearchParams('bm=grant_rate,gone&bs=fee_revenue@1990&piv=2'), vocab);
		expect(bad.state.metrics).toEqual(['grant_rate']);
		expect(bad.state.tableSort).toBeNull();
		expect(bad.state.pivot).toBe(false);
		expect(bad.notices.map((n) => `${n.code}:${n.param}`)).toEqual(['unknown_metric:bm', 'unknown_value:piv', 'unknown_value:bs']);
		expect(isTableSortKey('agency', vocab.years) && isTableSortKey('grant_rate', vocab.years) && !isTableSortKey('grant_rate@2024@1', vocab.years)).toBe(true);
	});

	it('adds agencies up to MAX_AGENCIES and counts the ones the cap kept out, never those already chosen', () => {
		const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `a${from + i}`);
		expect(addAgencies(ids(0, 3), ['a1', 'a5', 'a5'])).toEqual({ agencies: ['a0', 'a1', 'a2', 'a5'], leftOut: 0 });
		const full = addAgencies(ids(0, MAX_AGENCIES - 2), [...ids(0, 5), ...ids(100, 7)]);
		expect(full.agencies).toEqual([...ids(0, MAX_AGENCIES - 2), 'a100', 'a101']);
		expect(full.leftOut).toBe(5);
		expect(addAgencies(ids(0, MAX_AGENCIES), ['a0', 'x'])).toEqual({ agencies: ids(0, MAX_AGENCIES), leftOut: 1 });
	});

	it('keeps a builder link under MAX_LINK with every metric but one per group and the most agencies a link takes', () => {
		const groups = [...new Set(METRICS.map((m) => m.group))];
		const metrics = METRICS.filter((m) => !groups.some((g) => METRICS.find((x) => x.group === g) === m)).map((m) => m.id);
		const agencies = Array.from({ length: MAX_AGENCIES }, (_, i) => `a${String(i).padStart(8, '0')}`);
		const state: ViewState = {
			...defaultState(),
			tab: 'builder',
			agencies,
			metrics,
			from: 2020,
			to: 2024,
			province: '福建省',
			pivot: true,
			tableSort: `${metrics[0]}@2024`,
			v: '54a0a7377e21'
		};
		const link = `https://nianbao.example.org${hrefOf(state)}`;
		expect(link.length).toBeLessThan(MAX_LINK);
		const vocabAll = { ...vocab, agencies: new Set(agencies) };
		expect(parseState(new URL(link).searchParams, vocabAll).state).toEqual({ ...state, tab: 'overview' });
	});

	it('gives every view its own page, and reads the view of an old link from ?tab=', () => {
		expect(TABS.map((tab) => hrefOf({ ...defaultState(), tab }))).toEqual([
			'/',
			'/compare',
			'/outcomes',
			'/agency',
			'/reconcile',
			'/data',
			'/upload',
			'/builder'
		]);
		for (const tab of TABS) expect(tabOfRoute(TAB_ROUTES[tab])).toBe(tab);
		expect(tabOfRoute(null)).toBe('overview');
		const old = parseState(new URLSearchParams('tab=agency&a=a1&v=abc'), vocab);
		expect(old.notices).toEqual([]);
		expect(hrefOf(old.state)).toBe('/agency?a=a1&v=abc');
	});

	it('leaves defaults out, so the default view has no query string', () => {
		expect(toSearch(defaultState())).toBe('');
		expect(toSearch({ ...defaultState(), tab: 'agency', agency: 'a1' })).toBe('?a=a1');
		expect(isDefaultView('?v=abc')).toBe(true);
		expect(isDefaultView('?tab=compare&v=abc')).toBe(false);
	});

	it('drops what it does not know, with a notice for each', () => {
		const { state, notices } = parseState(
			new URLSearchParams('tab=charts&m=nope&ag=a1,zz,a1&a=gone&from=1999&to=abcd&level=星&chart=pie&dir=up&v=../x&utm=1'),
			vocab
		);
		expect(state).toMatchObject({
			tab: 'overview',
			metric: 'grant_rate',
			agencies: ['a1'],
			agency: null,
			from: 2019,
			to: null,
			level: null,
			chart: 'lines',
			v: null
		});
		expect(notices.map((n) => `${n.code}:${n.param}`).sort()).toEqual(
			[
				'unknown_param:utm',
				'unknown_tab:tab',
				'unknown_metric:m',
				'unknown_agency:ag',
				'unknown_agency:a',
				'bad_year:from',
				'bad_year:to',
				'unknown_value:level',
				'unknown_chart:chart',
				'unknown_value:dir',
				'bad_version:v'
			].sort()
		);
	});

	it('swaps a reversed year range and shortens long echoed values', () => {
		const { state, notices } = parseState(new URLSearchParams(`from=2024&to=2020&m=${'x'.repeat(300)}`), vocab);
		expect([state.from, state.to]).toEqual([2020, 2024]);
		expect(notices[0].value.length).toBeLessThanOrEqual(41);
	});
});

describe('every control in the link', () => {
	it('keeps the peer band reference, the chart/table toggles and the profile year apart from the ranking year', () => {
		const state: ViewState = {
			...defaultState(),
			agencies: ['a1', 'a2'],
			peers: true,
			peerRef: 'a2',
			tables: ['requests', 'compare'],
			year: 2021,
			profileYear: 2023,
			agency: 'a3'
		};
		const search = toSearch(state);
		expect(search).toContain('pr=a2');
		expect(search).toContain('ay=2023');
		expect(parseState(new URLSearchParams(search), vocab)).toEqual({ state, notices: [] });
	});

	it('keeps the researchers’ filters: reports left out, the least n of a rate, the log scale, the per-agency average; refuses anything else with a notice', () => {
		const state: ViewState = { ...defaultState(), skip: ['flagged', 'uncertain'], minN: 30, log: true, perAgency: true };
		const search = toSearch(state);
		expect(new URLSearchParams(search).get('skip')).toBe('flagged,uncertain');
		expect(search).toContain('minn=30');
		expect(search).toContain('log=1');
		expect(search).toContain('avg=1');
		expect(parseState(new URLSearchParams(search), vocab)).toEqual({ state, notices: [] });
		// one choice, one link: the order of `skip` does not matter
		expect(parseState(new URLSearchParams('skip=uncertain,flagged'), vocab).state.skip).toEqual(['flagged', 'uncertain']);
		const bad = parseState(new URLSearchParams('skip=clean&minn=-3&log=yes&avg=agency'), vocab);
		expect([bad.state.skip, bad.state.minN, bad.state.log, bad.state.perAgency]).toEqual([[], 0, false, false]);
		expect(bad.notices.map((n) => n.param).sort()).toEqual(['avg', 'log', 'minn', 'skip']);
		expect(parseState(new URLSearchParams('minn=99999999'), vocab).notices[0].param).toBe('minn');
	});

	it("names the sender's uploaded agencies the receiver does not have, instead of an unknown id", () => {
		const { state, notices } = parseState(new URLSearchParams('ag=a1,x9f3&up=x9f3'), vocab);
		expect(state.agencies).toEqual(['a1']);
		expect(notices).toEqual([{ code: 'uploaded_agency', param: 'ag', value: 'x9f3' }]);
		expect(parseState(new URLSearchParams('a=x9f3'), vocab).notices[0].code).toBe('unknown_agency');
	});
});

describe('links made before the profile had its own year', () => {
	it('read `year` as the profile year on the agency page only', () => {
		const params = new URLSearchParams('a=a1&year=2022');
		const { state } = parseState(params, vocab);
		expect(withLegacyProfileYear({ ...state, tab: 'agency' }, params).profileYear).toBe(2022);
		expect(withLegacyProfileYear({ ...state, tab: 'compare' }, params).profileYear).toBeNull();
		const now = new URLSearchParams('a=a1&year=2022&ay=2020');
		expect(withLegacyProfileYear({ ...parseState(now, vocab).state, tab: 'agency' }, now).profileYear).toBe(2020);
	});
});
