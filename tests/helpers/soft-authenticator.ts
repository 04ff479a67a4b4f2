/**
 * A software security key for tests: an ES256 key pair (node:crypto) that answers WebAuthn registration and
 * authentication options with the same JSON a browser gives @simplewebauthn/browser (attestation 'none', CBOR
 * written here). Real signatures, real counters: what the server verifies is what a USB key would send. Knobs
 * let a test lie (another origin, a counter set back, another RP ID) to see the server refuse it.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

// ─── a little CBOR (RFC 8949): unsigned and negative integers, byte and text strings, maps ───────────────

function head(major: number, n: number): Buffer {
	if (n < 24) return Buffer.from([(major << 5) | n]);
	if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
	if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
	const b = Buffer.alloc(5);
	b[0] = (major << 5) | 26;
	b.writeUInt32BE(n, 1);
	return b;
}

type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

export function cbor(v: Cbor): Buffer {
	if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
	if (typeof v === 'string') {
		const s = Buffer.from(v, 'utf8');
		return Buffer.concat([head(3, s.length), s]);
	}
	if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), Buffer.from(v)]);
	const parts: Buffer[] = [head(5, v.size)];
	for (const [k, x] of v) parts.push(cbor(k), cbor(x));
	return Buffer.concat(parts);
}

// ─── the authenticator ──────────────────────────────────────────────────────

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface Lies {
	/** the origin the "browser" writes into clientDataJSON (default: the one given) */
	origin?: string;
	/** the RP ID whose hash goes into authenticatorData (default: the options') */
	rpId?: string;
	/** the counter to report (default: one more than last time) */
	counter?: number;
	/** the challenge to sign (default: the options') */
	challenge?: string;
	/** user presence (default true) */
	userPresent?: boolean;
}

export class SoftAuthenticator {
	readonly credentialId: Buffer;
	readonly aaguid = Buffer.alloc(16);
	private readonly privateKey: KeyObject;
	private readonly x: Buffer;
	private readonly y: Buffer;
	/** the signature counter; USB keys count up on every use */
	counter = 0;

	constructor() {
		const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
		this.privateKey = privateKey;
		const jwk = publicKey.export({ format: 'jwk' });
		this.x = Buffer.from(jwk.x!, 'base64url');
		this.y = Buffer.from(jwk.y!, 'base64url');
		this.credentialId = randomBytes(32);
	}

	get id(): string {
		return b64url(this.credentialId);
	}

	/** The COSE public key (EC2, ES256, P-256). */
	private coseKey(): Buffer {
		return cbor(
			new Map<Cbor, Cbor>([
				[1, 2],
				[3, -7],
				[-1, 1],
				[-2, this.x],
				[-3, this.y]
			])
		);
	}

	private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
		return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
	}

	/** Answer navigator.credentials.create options (what startRegistration returns). */
	register(options: { challenge: string; rp: { id?: string } }, origin: string, lies: Lies = {}) {
		const rpId = lies.rpId ?? options.rp.id!;
		const counter = lies.counter ?? this.counter;
		const countBytes = Buffer.alloc(4);
		countBytes.writeUInt32BE(counter);
		const idLen = Buffer.alloc(2);
		idLen.writeUInt16BE(this.credentialId.length);
		const authData = Buffer.concat([
			sha256(rpId),
			Buffer.from([(lies.userPresent === false ? 0 : FLAG_UP) | FLAG_UV | FLAG_AT]),
			countBytes,
			this.aaguid,
			idLen,
			this.credentialId,
			this.coseKey()
		]);
		const attestationObject = cbor(
			new Map<Cbor, Cbor>([
				['fmt', 'none'],
				['attStmt', new Map()],
				['authData', authData]
			])
		);
		return {
			id: this.id,
			rawId: this.id,
			type: 'public-key' as const,
			response: {
				clientDataJSON: b64url(this.clientData('webauthn.create', lies.challenge ?? options.challenge, lies.origin ?? origin)),
				attestationObject: b64url(attestationObject),
				transports: ['usb' as const]
			},
			authenticatorAttachment: 'cross-platform' as const,
			clientExtensionResults: {}
		};
	}

	/** Answer navigator.credentials.get options (what startAuthentication returns); counts up like a key. */
	authenticate(options: { challenge: string; rpId?: string }, origin: string, lies: Lies = {}) {
		const rpId = lies.rpId ?? options.rpId!;
		const counter = lies.counter ?? this.counter + 1;
		if (lies.counter === undefined) this.counter = counter;
		const countBytes = Buffer.alloc(4);
		countBytes.writeUInt32BE(counter);
		const authData = Buffer.concat([sha256(rpId), Buffer.from([(lies.userPresent === false ? 0 : FLAG_UP) | FLAG_UV]), countBytes]);
		const clientDataJSON = this.clientData('webauthn.get', lies.challenge ?? options.challenge, lies.origin ?? origin);
		const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
		return {
			id: this.id,
			rawId: this.id,
			type: 'public-key' as const,
			response: {
				clientDataJSON: b64url(clientDataJSON),
				authenticatorData: b64url(authData),
				signature: b64url(signature)
			},
			authenticatorAttachment: 'cross-platform' as const,
			clientExtensionResults: {}
		};
	}
}
