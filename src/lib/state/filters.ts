import { NO_FILTERS, type Filters, type ReportFilters } from '$lib/db/queries';
import type { ViewState } from './url';

/** The query filters a view state sets (year range, region, level, category, name, the scope totals add up, the researchers' filters): the one mapping of URL to SQL filters. */
export function filtersOf(view: ViewState): Filters {
	return {
		from: view.from,
		to: view.to,
		province: view.province,
		city: view.city,
		level: view.level,
		category: view.category,
		q: view.q,
		sum: view.sum,
		...reportFiltersOf(view)
	};
}

/** The researchers' filters of a view: the reports every number leaves out, and the least n of a rate (views of chosen agencies take only these). */
export function reportFiltersOf(view: ViewState): ReportFilters {
	return { skipFlagged: view.skip.includes('flagged'), skipUncertain: view.skip.includes('uncertain'), minN: view.minN };
}

/** Whether the filters select everything (the prerendered overview's). */
export function isUnfiltered(f: Filters): boolean {
	return (Object.keys(NO_FILTERS) as (keyof Filters)[]).every((k) => f[k] === NO_FILTERS[k]);
}
