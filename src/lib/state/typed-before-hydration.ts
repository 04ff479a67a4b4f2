/**
 * What a user typed before the page hydrated, put back (src/app.html records it). Svelte 5 sets every field's
 * rendered `value` once more while hydrating, so a login ID or a name typed in the first moments after the page
 * appeared would silently vanish and the form be sent empty. Each field changed since it was recorded is given the
 * typed value (or checked state) back, with an input/change event so that bindings and live previews follow.
 */
type Typed = Map<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, { value: string } | { checked: boolean }>;

declare global {
	interface Window {
		__kanshoTypedBeforeHydration?: () => Typed;
	}
}

export function restoreTypedBeforeHydration(): void {
	const take = window.__kanshoTypedBeforeHydration;
	if (!take) return;
	for (const [el, was] of take()) {
		if (!el.isConnected) continue;
		if ('checked' in was) {
			if (el instanceof HTMLInputElement && el.checked !== was.checked) {
				el.checked = was.checked;
				el.dispatchEvent(new Event('change', { bubbles: true }));
			}
		} else if (el.value !== was.value) {
			el.value = was.value;
			el.dispatchEvent(new Event('input', { bubbles: true }));
			el.dispatchEvent(new Event('change', { bubbles: true }));
		}
	}
}
