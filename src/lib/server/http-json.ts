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

/** The form body of a request (urlencoded or multipart), or invalid_input when it is something else. */
export async function readForm(request: Request): Promise<FormData> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type))
		throw new DomainError('invalid_input', 'content-type must be a form (application/x-www-form-urlencoded)', { body: 'not a form' });
	try {
		return await request.formData();
	} catch {
		throw new DomainError('invalid_input', 'the body is not a valid form', { body: 'not a valid form' });
	}
}
