import { describe, expect, it } from 'vitest';
import type { AgencyOption } from '$lib/db/snapshot';
import { pickerOptions } from './vocabulary';

const agency = (id: string, name: string): AgencyOption => ({ id, name, province: null, city: null, level: '县', category: '人民政府' });
// 500 bodies in name order, as the snapshot lists them; every tenth is a 公安局.
const AGENCIES = Array.from({ length: 500 }, (_, i) => agency(`a${i}`, `${String(i).padStart(3, '0')}县${i % 10 === 0 ? '公安局' : '人民政府'}`));

describe('pickerOptions', () => {
	it('lists the first names up to the limit and says how many there are', () => {
		const { options, total } = pickerOptions(AGENCIES, '', null, 200);
		expect(total).toBe(500);
		expect(options.map((a) => a.id)).toEqual(AGENCIES.slice(0, 200).map((a) => a.id));
	});

	it('narrows by part of the name, ignoring case, before the limit applies', () => {
		const { options, total } = pickerOptions(AGENCIES, '公安局', null, 20);
		expect(total).toBe(50);
		expect(options.map((a) => a.id)).toEqual(Array.from({ length: 20 }, (_, k) => `a${k * 10}`));
	});

	it('keeps the chosen agency, first, when the limit or the text leaves it out; once when it is already listed', () => {
		expect(pickerOptions(AGENCIES, '', 'a450', 200).options.map((a) => a.id)).toEqual(['a450', ...AGENCIES.slice(0, 200).map((a) => a.id)]);
		expect(pickerOptions(AGENCIES, '公安局', 'a3', 200).options[0].id).toBe('a3');
		expect(pickerOptions(AGENCIES, '', 'a5', 200).options.filter((a) => a.id === 'a5')).toHaveLength(1);
		expect(pickerOptions(AGENCIES, '', 'unknown', 200).options).toHaveLength(200);
	});
});
