/**
 * Replace mode keeps a block's inline markup by sending `format=html`.
 *
 * Each text node to translate goes into its own `<span>`; the server translates only the text
 * between tags and returns the tags byte for byte with the translated text HTML-escaped, so the
 * n-th span of the answer holds the n-th text node's translation. The answer is never parsed as
 * HTML or inserted as markup: the spans are split out by a pattern that escaped text cannot
 * contain, and their text unescaped into plain strings for the page's own text nodes.
 */

const SPAN = /<span>([^<]*)<\/span>/g;

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescapeText(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return ENTITIES[lower] ?? whole;
  });
}

/** The markup sent for these text pieces, one span each. */
export function toMarkup(pieces: readonly string[]): string {
  return pieces.map((piece) => `<span>${escapeText(piece)}</span>`).join("");
}

/** The translated pieces of an answer to `toMarkup`, or null if it does not hold `count` spans. */
export function fromMarkup(markup: string, count: number): string[] | null {
  const pieces = Array.from(markup.matchAll(SPAN), (match) => unescapeText(match[1] ?? ""));
  if (pieces.length !== count) return null;
  return markup.replace(SPAN, "") === "" ? pieces : null;
}
