import { describe, expect, it } from 'vitest';
import { radioStep } from './radio-keys';

describe('arrow keys in a radio group', () => {
	it('move to the next and previous choice, round the ends, and Home/End to the first and last', () => {
		expect(radioStep('ArrowRight', 0, 3)).toBe(1);
		expect(radioStep('ArrowDown', 2, 3)).toBe(0);
		expect(radioStep('ArrowLeft', 0, 3)).toBe(2);
		expect(radioStep('ArrowUp', 1, 3)).toBe(0);
		expect(radioStep('Home', 2, 3)).toBe(0);
		expect(radioStep('End', 0, 3)).toBe(2);
		expect(radioStep('a', 0, 3)).toBeNull();
	});
});
