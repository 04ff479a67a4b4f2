/**
 * The live charts' colours: Okabe–Ito (distinguishable with the common colour-vision deficiencies), each at least
 * 3:1 against white (WCAG 2.2 non-text contrast). Colour is never the only difference: last week's series is a
 * dashed line with diamond points, or an outlined bar.
 */
export const TODAY_COLOR = '#0072B2';
export const LAST_WEEK_COLOR = '#D55E00';
export const LAST_WEEK_DASH = [6, 4];
export const FUNNEL_COLOR = '#0072B2';
