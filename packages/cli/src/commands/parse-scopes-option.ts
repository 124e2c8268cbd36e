import { allScopes, scopeSchema, type Scope } from '@plumb/protocol';
import { InvalidArgumentError } from 'commander';

/**
 * Parses a `--scopes code:read,code:write` option (commas or spaces); unknown scopes are a usage error
 * (exit 2) naming the valid ones.
 *
 * @example
 * command.requiredOption('--scopes <list>', 'comma-separated scopes', parseScopesOption);
 */
export function parseScopesOption(value: string): Scope[] {
  const scopes = value.split(/[,\s]+/).filter(Boolean);
  const invalid = scopes.filter((scope) => !scopeSchema.safeParse(scope).success);
  if (scopes.length === 0 || invalid.length > 0) {
    throw new InvalidArgumentError(
      `Unknown scope ${invalid.join(', ') || '(none given)'}. Use a comma-separated list of ${allScopes.join(', ')}.`,
    );
  }
  return scopes as Scope[];
}
