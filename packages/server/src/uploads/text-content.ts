// The text of a text file, for the model: valid UTF-8 (the type check made sure), cut at
// `maxChars` characters (never inside a character) and marked as cut.

export function textOf(bytes: Uint8Array, maxChars: number): string | null {
  if (maxChars <= 0) return null;
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const chars = [...text.slice(0, maxChars * 2)];
  return chars.length > maxChars ? `${chars.slice(0, maxChars).join('')}\n[…cut]` : text;
}
