// The words of a report fact as the engines keep them: the widths of the store's columns.

/** The widths of a fact's words (the store's columns): longer text is cut. */
export const WIDTH = { host: 255, prefix: 255, action: 64, in: 64, out: 64, src: 45, dst: 45, proto: 16 } as const;

/** A fact's word: '' is absent, longer text is cut to `width` characters. */
export function text(v: unknown, width: number): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  return v.length > width ? [...v].slice(0, width).join('') : v;
}
