/**
 * The wall display's panels and its rotation (pure). A display token carries its panels and seconds per panel;
 * `?panels=summary,operators&seconds=30` on /wall overrides them for that screen (handy for trying a layout).
 */
export const wallPanels = ['summary', 'segments', 'operators'] as const;
export type WallPanel = (typeof wallPanels)[number];

export const MIN_ROTATE_SECONDS = 5;
export const MAX_ROTATE_SECONDS = 600;
export const DEFAULT_ROTATE_SECONDS = 20;

export interface Rotation {
	panels: WallPanel[];
	seconds: number;
}

export function isWallPanel(x: unknown): x is WallPanel {
	return typeof x === 'string' && (wallPanels as readonly string[]).includes(x);
}

/** A list of panels as written in a URL ("summary,operators"): known names only, each once, in the order given. */
export function parsePanels(raw: string | null | undefined): WallPanel[] | null {
	if (!raw) return null;
	const out: WallPanel[] = [];
	for (const p of raw.split(',').map((s) => s.trim())) if (isWallPanel(p) && !out.includes(p)) out.push(p);
	return out.length ? out : null;
}

export function clampSeconds(n: number): number {
	if (!Number.isFinite(n)) return DEFAULT_ROTATE_SECONDS;
	return Math.min(MAX_ROTATE_SECONDS, Math.max(MIN_ROTATE_SECONDS, Math.round(n)));
}

/** The rotation a wall shows: the URL's choice, else the token's, else the summary alone. */
export function rotationFor(url: URLSearchParams, token: Partial<Rotation> | null): Rotation {
	const panels = parsePanels(url.get('panels')) ?? (token?.panels?.length ? token.panels : ['summary']);
	const s = url.get('seconds');
	const seconds = s !== null && s !== '' ? clampSeconds(Number(s)) : clampSeconds(token?.seconds ?? DEFAULT_ROTATE_SECONDS);
	return { panels, seconds };
}

/** Which panel shows after `elapsedMs` since the wall opened (the same on every wall opened at the same time). */
export function panelAt(r: Rotation, elapsedMs: number): WallPanel {
	if (r.panels.length <= 1) return r.panels[0] ?? 'summary';
	const i = Math.floor(Math.max(0, elapsedMs) / (r.seconds * 1000)) % r.panels.length;
	return r.panels[i];
}
