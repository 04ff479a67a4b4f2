/**
 * A form that does what cannot be undone asks first: `use:enhance={asking(question)}`, or with what the form does
 * after sending (`asking(question, submit)`). The question is the browser's confirm(); "cancel" stops the send with
 * the SubmitFunction's cancel() (with enhance, preventDefault on the submit event does not stop it).
 *
 * The question may depend on what is being sent (the role chosen in a select, the boxes left ticked): pass a
 * function of the submit's input; it is asked at submit time, and when it returns null the form is sent without
 * asking (nothing irreversible in this submit).
 */
import type { SubmitFunction } from '@sveltejs/kit';

type SubmitInput = Parameters<SubmitFunction>[0];

export function asking(question: string | ((input: SubmitInput) => string | null), then?: SubmitFunction): SubmitFunction {
	return (input) => {
		const q = typeof question === 'function' ? question(input) : question;
		if (q !== null && !confirm(q)) return input.cancel();
		return then?.(input);
	};
}
