// The text of a PDF, for the model: pdf.js (Mozilla's PDF reader; its legacy build runs on
// Node 20), loaded only when a PDF arrives. Its text layer only: no fonts, no rendering, no
// JavaScript (isEvalSupported: false), at most `maxPages` pages and `maxChars` characters. A
// PDF whose text cannot be read is still stored; the model is then told only its name.

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | null = null;

export async function pdfText(
  bytes: Uint8Array,
  { maxChars, maxPages = 20 }: { maxChars: number; maxPages?: number },
): Promise<string | null> {
  if (maxChars <= 0) return null;
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument, VerbosityLevel } = await pdfjs;
  // pdf.js may take the buffer over: it gets a copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    const pages: string[] = [];
    let length = 0;
    for (let n = 1; n <= Math.min(doc.numPages, maxPages) && length < maxChars; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const text = content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : ''))
        .join('')
        .replace(/[ \t]+\n/g, '\n')
        .trim();
      pages.push(text);
      length += text.length;
    }
    const all = pages.join('\n\n').trim();
    if (!all) return null;
    const chars = [...all.slice(0, maxChars * 2)];
    return chars.length > maxChars ? `${chars.slice(0, maxChars).join('')}\n[…cut]` : all;
  } catch {
    return null;
  } finally {
    await task.destroy().catch(() => {});
  }
}
