import { DomainError } from './errors.ts';

/** The JSON body of an API request, or invalid_input naming what was wrong with it. */
export async function readJson(request: Request): Promise<unknown> {
	if (!(request.headers.get('content-type') ?? '').includes('application/json'))
		throw new DomainError('invalid_input', 'content-type must be application/json', { body: 'not JSON' });
	try {
		return await request.json();
	} catch {
		throw new DomainError('invalid_input', 'the body is not valid JSON', { body: 'not valid JSON' });
	}
}
