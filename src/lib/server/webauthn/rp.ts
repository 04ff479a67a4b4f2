/**
 * The relying party: which site the keys belong to. A key signs only for its RP ID (a host name), and the
 * browser writes the page's origin into what the key signs; both are checked against the server's own.
 *
 * - ORIGIN set (production: the public https URL): the origin is ORIGIN and the RP ID its host name, whatever a
 *   request says about itself.
 * - ORIGIN unset (the demo, development): the origin is the one the request was made to (SvelteKit's url, from
 *   the Host header). That could name any host, so it is only accepted when the browser's own Origin header names
 *   the same origin (a page elsewhere cannot send ours), and a key is accepted only for the RP ID it was registered
 *   with (webauthn_credentials.rp_id): a key registered at one address does not sign in through another. A proxy
 *   in front that rewrites the host (a phishing relay) can only be shut out with ORIGIN: set it in production.
 */
import { DomainError } from '../errors.ts';

export interface RelyingParty {
	/** the RP ID: a host name, no port (keys are scoped to it) */
	id: string;
	/** the exact origin the browser must report (scheme, host, port) */
	origin: string;
	/** shown by the browser's key prompt */
	name: string;
}

export const RP_NAME = 'kansho';

/** Where a request was made: the relying party is worked out from it. */
export interface Site {
	url: URL;
	/** the request's Origin header (null when it has none) */
	origin: string | null;
}

/** The relying party of a request (see relyingParty). */
export function siteRp(configuredOrigin: string | undefined, site: Site): RelyingParty {
	return relyingParty(configuredOrigin, site.url, site.origin);
}

/**
 * The relying party for a request. `originHeader` is the request's Origin header: when ORIGIN is unset and the
 * request carries one, it must equal the request's own origin (null: a request without one, e.g. a page load).
 */
export function relyingParty(configuredOrigin: string | undefined, requestUrl: URL, originHeader: string | null): RelyingParty {
	if (configuredOrigin) {
		const u = new URL(configuredOrigin);
		if (originHeader !== null && originHeader !== u.origin) throw crossOrigin();
		return { id: u.hostname, origin: u.origin, name: RP_NAME };
	}
	if (originHeader !== null && originHeader !== requestUrl.origin) throw crossOrigin();
	return { id: requestUrl.hostname, origin: requestUrl.origin, name: RP_NAME };
}

function crossOrigin(): DomainError {
	return new DomainError('forbidden', 'the request does not come from this site');
}
