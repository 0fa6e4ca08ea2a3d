/** Text from a response, safe inside HTML and SVG text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "1026" or "1026-1030". */
export function idsText(first: number, last: number): string {
  return first === last ? String(first) : `${first}-${last}`;
}

/** A share as a percentage that never reads 0 % or 100 % when it is not: "<1%", "37%", ">99%". */
export function percent(part: number, whole: number): string {
  if (whole <= 0) return '0%';
  const value = (100 * part) / whole;
  if (value > 0 && value < 1) return '<1%';
  if (value < 100 && value > 99) return '>99%';
  return `${Math.round(value)}%`;
}

/** A count with thousands separators, "938,756", the same on every machine (no locale). */
export function countText(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
