/**
 * The map's outcome classes, worst first: an aggregating cell takes the colour of the worst class
 * among its ids. `content`, `slow` and `flaky` appear only when a response reports them
 * (`unexpectedReasons`, `flakyIds`); `unjudged` only when it does not say which ids were
 * unexpected (a response from before `unexpectedIds`).
 */
export const MapClass = {
  error: 'error',
  status: 'status',
  content: 'content',
  slow: 'slow',
  notAttempted: 'notAttempted',
  flaky: 'flaky',
  unjudged: 'unjudged',
  met: 'met',
} as const;
export type MapClass = (typeof MapClass)[keyof typeof MapClass];

/** Worst first; a class's index is its rank (lower is worse). */
export const CLASS_ORDER: readonly MapClass[] = Object.values(MapClass);

/** How each class is drawn and named: a short CSS class, a colour, words for people. */
export interface ClassStyle {
  /** One letter: the CSS class every cell of this class carries (size matters at 1,000,000 ids). */
  readonly css: string;
  readonly colour: string;
  /** Words for people, in the legend and in every cell's title (short: 2,000 titles). */
  readonly label: string;
}

/**
 * Colours told apart with the common colour-vision deficiencies (Okabe-Ito based): errors dark
 * purple, unexpected statuses vermillion, content orange, slowness yellow, flaky sky blue, met
 * bluish green, not attempted grey.
 */
export const CLASS_STYLE: Readonly<Record<MapClass, ClassStyle>> = {
  error: { css: 'e', colour: '#5d2a8c', label: 'error' },
  status: { css: 'u', colour: '#d55e00', label: 'wrong status' },
  content: { css: 'c', colour: '#e69f00', label: 'wrong content' },
  slow: { css: 's', colour: '#f0e442', label: 'too slow' },
  notAttempted: { css: 'n', colour: '#bdbdbd', label: 'not attempted' },
  flaky: { css: 'f', colour: '#56b4e9', label: 'flaky' },
  unjudged: { css: 'j', colour: '#7f9fbf', label: 'not judged' },
  met: { css: 'm', colour: '#009e73', label: 'met' },
};

/** Changes since the baseline, drawn as an outline on the cells that hold them. */
export const MARK_STYLE = {
  newlyUnexpected: { css: 'x', colour: '#000000', label: 'newly unexpected (black outline)' },
  recovered: { css: 'r', colour: '#cc79a7', label: 'recovered (pink outline)' },
} as const;

/**
 * An aggregating cell's share of its worst class, as four steps of opacity: up to a quarter,
 * up to half, more than half, all. Cells of one id are always the last step.
 */
export const SHARE_STEPS: readonly { readonly upTo: number; readonly opacity: number }[] = [
  { upTo: 0.25, opacity: 0.35 },
  { upTo: 0.5, opacity: 0.55 },
  { upTo: 0.999_999, opacity: 0.8 },
  { upTo: 1, opacity: 1 },
];

/** The step (1-4) of a share in (0, 1]. */
export function shareStep(share: number): number {
  const index = SHARE_STEPS.findIndex((step) => share <= step.upTo);
  return index < 0 ? SHARE_STEPS.length : index + 1;
}
