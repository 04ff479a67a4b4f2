/**
 * A form that does what cannot be undone asks first: `use:enhance={asking(question)}`, or with what the form does
 * after sending (`asking(question, submit)`). The question is the browser's confirm(); "cancel" stops the send with
 * the SubmitFunction's cancel() (with enhance, preventDefault on the submit event does not stop it).
 */
import type { SubmitFunction } from '@sveltejs/kit';

export function asking(question: string, then?: SubmitFunction): SubmitFunction {
	return (input) => {
		if (!confirm(question)) return input.cancel();
		return then?.(input);
	};
}
