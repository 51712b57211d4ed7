/**
 * Model text as the database can store it: PostgreSQL text and jsonb refuse NUL characters, and
 * jsonb refuses a lone surrogate (JSON escapes it, PostgreSQL cannot decode it). A model that
 * emits either would otherwise fail the reply it paid for; the character is dropped (NUL) or
 * becomes U+FFFD (a lone surrogate), as a browser shows it.
 *
 * @example
 * await ctx.complete({ content: storableText(content) });
 */
export function storableText(text: string): string {
  return text.replaceAll('\u0000', '').toWellFormed();
}

/** Whether `text` ends with the first half of a surrogate pair (its second half is still to come). */
export function endsInsidePair(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
}
