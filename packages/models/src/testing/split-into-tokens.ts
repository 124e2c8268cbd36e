// A word with its trailing whitespace; the first match also takes any leading whitespace of the text, and
// the second alternative covers text that is whitespace only, so every character lands in some token.
const tokenPattern = /\s*\S+\s*|\s+/g;

/**
 * Splits text into pseudo-tokens for scripted streaming and usage counts: each token is a word with its
 * trailing whitespace, the first token also carries the text's leading whitespace. Joining the tokens gives
 * the text back exactly.
 *
 * @example
 * splitIntoTokens('  Hello, world\n'); // ['  Hello, ', 'world\n']
 * splitIntoTokens(''); // []
 */
export function splitIntoTokens(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}
