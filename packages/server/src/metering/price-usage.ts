/** Prices in US dollars: per 1M tokens for a model, per Compute Unit for operations. */
export interface ModelPrice {
  input: number;
  output: number;
  cached?: number | undefined;
}

export interface PriceList {
  models: Record<string, ModelPrice>;
  computeUnit: number;
}

export interface PricedInputs {
  priceInputPerMillion: number;
  priceOutputPerMillion: number;
  priceCachedPerMillion: number;
  pricePerComputeUnit: number;
}

/**
 * The prices that apply to a model: its own entry, else the `*` entry, else free. Cached prompt tokens cost
 * the input price unless the model names a cached price.
 *
 * @example
 * pricesFor({ models: { '*': { input: 1, output: 2 } }, computeUnit: 0.01 }, 'local/qwen');
 */
export function pricesFor(prices: PriceList, model: string | null): PricedInputs {
  const price = (model !== null ? prices.models[model] : undefined) ?? prices.models['*'];
  return {
    priceInputPerMillion: price?.input ?? 0,
    priceOutputPerMillion: price?.output ?? 0,
    priceCachedPerMillion: price?.cached ?? price?.input ?? 0,
    pricePerComputeUnit: prices.computeUnit,
  };
}

/**
 * Cost in nano-dollars (1e-9 USD), an integer. A price per 1M tokens is micro-dollars per token, so
 * `tokens x price x 1000` is exact for prices with up to three decimals.
 *
 * @example
 * costNanos({ promptTokens: 1000, completionTokens: 500, cachedTokens: 0, computeUnits: 0 }, priced);
 */
export function costNanos(
  usage: { promptTokens: number; completionTokens: number; cachedTokens: number; computeUnits: number },
  priced: PricedInputs,
): number {
  const uncachedPrompt = Math.max(0, usage.promptTokens - usage.cachedTokens);
  return Math.round(
    uncachedPrompt * priced.priceInputPerMillion * 1000 +
      usage.cachedTokens * priced.priceCachedPerMillion * 1000 +
      usage.completionTokens * priced.priceOutputPerMillion * 1000 +
      usage.computeUnits * priced.pricePerComputeUnit * 1e9,
  );
}
