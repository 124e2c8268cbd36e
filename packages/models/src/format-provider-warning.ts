import type { SharedV3Warning } from '@ai-sdk/provider';

/**
 * Turns a provider's warning about a call (an unsupported setting, a compatibility mode) into the text
 * Plumb reports in `plumb.warnings`.
 *
 * @example
 * formatProviderWarning({ type: 'unsupported', feature: 'topK' }); // 'The provider does not support topK.'
 */
export function formatProviderWarning(warning: SharedV3Warning): string {
  switch (warning.type) {
    case 'unsupported':
      return `The provider does not support ${warning.feature}${warning.details ? `: ${warning.details}` : ''}.`;
    case 'compatibility':
      return `The provider used a compatibility mode for ${warning.feature}${warning.details ? `: ${warning.details}` : ''}.`;
    default:
      return `The provider warned: ${warning.message}`;
  }
}
