/** What is wrong with a whole-number settings field typed as text, or null when it is in range. */
export function intProblem(label: string, text: string, min: number, max: number): string | null {
  if (!/^\d+$/.test(text)) return `${label} must be a whole number.`;
  const n = Number(text);
  return n < min || n > max ? `${label} must be from ${min} to ${max}.` : null;
}
