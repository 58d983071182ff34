/**
 * Arrow keys in the button groups marked role="radiogroup", as in a native
 * radio group: Right/Down to the next choice, Left/Up to the previous (round
 * the ends), Home and End to the first and last. Moving chooses: the button
 * is clicked and focused. One listener on the document covers every group.
 */

/** The index a key moves to in a group of `n` from `i`; null for other keys. */
export function radioStep(key: string, i: number, n: number): number | null {
	switch (key) {
		case 'ArrowRight':
		case 'ArrowDown':
			return (i + 1) % n;
		case 'ArrowLeft':
		case 'ArrowUp':
			return (i + n - 1) % n;
		case 'Home':
			return 0;
		case 'End':
			return n - 1;
		default:
			return null;
	}
}

export function onRadioKey(e: KeyboardEvent): void {
	const target = e.target;
	if (!(target instanceof HTMLElement) || target.getAttribute('role') !== 'radio') return;
	const group = target.closest('[role="radiogroup"]');
	if (!group) return;
	const radios = [...group.querySelectorAll<HTMLElement>('[role="radio"]')].filter((r) => !r.hasAttribute('disabled'));
	const at = radios.indexOf(target);
	const next = at < 0 ? null : radioStep(e.key, at, radios.length);
	if (next === null) return;
	e.preventDefault();
	radios[next].click();
	radios[next].focus();
}
