/** Why a request was refused. */
export type MaliciousCategory = 'malware' | 'credential_theft' | 'detection_evasion';

const defensive =
  /\b(detect|detecting|detection of|defend|protect|prevent|remove|removing|mitigat\w*|explain|how does|how do .* work|works?\b.*\b(class|course)|for my (security )?class|analy[sz]e|recover|audit|scan for|identify)\b/i;
const build = /\b(write|create|build|make|code|develop|generate|implement|give me|produce)\b/i;

const categories: { category: MaliciousCategory; pattern: RegExp; reason: string }[] = [
  {
    category: 'malware',
    pattern:
      /\b(ransomware|keylogger|key logger|botnet|rootkit|trojan|worm that spreads|self[- ]propagating|cryptojacker|remote access trojan|\brat\b|spyware|wiper malware)\b/i,
    reason: 'building malware',
  },
  {
    category: 'malware',
    pattern:
      /\bencrypt (all|every|the victim'?s?) (files|documents|drives?)\b.*\b(ransom|bitcoin|payment)\b/i,
    reason: 'building ransomware',
  },
  {
    category: 'credential_theft',
    pattern:
      /\b(steal|exfiltrate|harvest|grab|dump|extract)\b[^.]{0,60}\b(cookies?|passwords?|credentials?|session tokens?|browser data|saved logins?|wallets?)\b/i,
    reason: 'stealing credentials',
  },
  {
    category: 'credential_theft',
    pattern: /\b(phishing (page|site|kit)|fake login page|credential harvester)\b/i,
    reason: 'phishing for credentials',
  },
  {
    category: 'detection_evasion',
    pattern:
      /\b(disable|bypass|evade|kill|turn off|avoid)\b[^.]{0,40}\b(antivirus|anti-virus|defender|edr|av detection|amsi|windows defender|endpoint protection|security software)\b/i,
    reason: 'evading security tools',
  },
  {
    category: 'detection_evasion',
    pattern:
      /\b(undetectable|fud|hide (it|the process|itself) from (task manager|antivirus)|obfuscate (the )?payload)\b/i,
    reason: 'evading detection',
  },
];

/**
 * Keyword heuristics that refuse requests to build malware, steal credentials or evade security tools.
 * Defensive and educational wording ("detect a keylogger", "explain how ransomware works") is allowed:
 * false negatives are preferred over refusing legitimate security work.
 *
 * @example classifyMaliciousRequest('write a keylogger that emails keystrokes').refused // => true
 */
export function classifyMaliciousRequest(text: string): {
  refused: boolean;
  category?: MaliciousCategory;
  reason?: string;
} {
  if (typeof text !== 'string' || text.trim() === '') return { refused: false };
  const sample = text.slice(0, 20_000);
  for (const { category, pattern, reason } of categories) {
    if (!pattern.test(sample)) continue;
    // Malware words alone are fine in defensive or educational requests; asking to build one is not.
    if (category === 'malware' && (defensive.test(sample) || !build.test(sample))) continue;
    if (category !== 'malware' && defensive.test(sample) && !build.test(sample)) continue;
    return {
      refused: true,
      category,
      reason: `The request asks for ${reason}, which Plumb does not help with.`,
    };
  }
  return { refused: false };
}
