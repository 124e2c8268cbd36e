import { costNanos } from './price-usage.ts';
import { recomputeComputeUnits, type ComputeUnitInputs } from './rate-card.ts';
import type { UsageEvent } from './usage-store.ts';

export interface InvoiceLine {
  eventId: string;
  computeUnits: number;
  costNanos: number;
  /** False when the stored CU or cost differ from what the stored inputs give (a tampered or buggy row). */
  matchesStored: boolean;
}

export interface Invoice {
  lines: InvoiceLine[];
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  computeUnits: number;
  /** Integer nano-dollars (1e-9 USD), the unit the ledger stores. */
  costNanos: number;
}

/**
 * Recomputes an invoice from stored usage events alone: each event's Compute Units from its stored formula
 * inputs (rate card version, rate, minimum, work units, duration) and its cost from its stored token counts and
 * prices, never from the current rate card or config. An invoice for any past period therefore comes out the
 * same after prices or rates change; `matchesStored` flags any row whose stored totals disagree.
 *
 * @example
 * const invoice = recomputeInvoice(await metering.store.events({ billingSubject: 'client:ci-bot', start, end }));
 * console.log(invoice.costNanos / 1e9, 'USD');
 */
export function recomputeInvoice(events: readonly UsageEvent[]): Invoice {
  const invoice: Invoice = {
    lines: [],
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    computeUnits: 0,
    costNanos: 0,
  };
  for (const event of events) {
    const computeUnits = event.compute_unit_inputs
      ? recomputeComputeUnits(JSON.parse(event.compute_unit_inputs) as ComputeUnitInputs)
      : 0;
    const cost = costNanos(
      {
        promptTokens: Number(event.prompt_tokens),
        completionTokens: Number(event.completion_tokens),
        cachedTokens: Number(event.cached_tokens),
        computeUnits,
      },
      {
        priceInputPerMillion: event.price_input_per_million,
        priceOutputPerMillion: event.price_output_per_million,
        priceCachedPerMillion: event.price_cached_per_million,
        pricePerComputeUnit: event.price_per_compute_unit,
      },
    );
    invoice.lines.push({
      eventId: event.id,
      computeUnits,
      costNanos: cost,
      matchesStored: computeUnits === Number(event.compute_units) && cost === Number(event.cost_nanos),
    });
    invoice.promptTokens += Number(event.prompt_tokens);
    invoice.completionTokens += Number(event.completion_tokens);
    invoice.cachedTokens += Number(event.cached_tokens);
    // CU sums are kept to 6 decimals, like each event's CU, so they are stable whatever the order.
    invoice.computeUnits = Math.round((invoice.computeUnits + computeUnits) * 1e6) / 1e6;
    invoice.costNanos += cost;
  }
  return invoice;
}
