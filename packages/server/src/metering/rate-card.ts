/**
 * The Compute Unit rate card. Advanced operations are priced in Compute Units (CU):
 *
 *     CU = rate[operation] x max(minimum[operation], measured)
 *     measured = max(work units, duration in seconds x unitsPerSecond[operation])
 *
 * Work units are what an operation does (lines analysed, vectors executed, debugger steps, sandbox
 * CPU-seconds); the duration term keeps slow, small jobs from being free. Every input is stored with the
 * usage event, so `recomputeComputeUnits` reproduces any invoice exactly. Change rates only by publishing a
 * new version; old events keep the version they were priced with.
 */
export interface OperationRate {
  /** CU per measured unit. */
  rate: number;
  /** What one work unit is. */
  unit: string;
  /** Measured units billed at least, per call. */
  minimum: number;
  /** Work units one second of wall time counts as. */
  unitsPerSecond: number;
}

export const rateCard = {
  version: 'cu-2026-11',
  operations: {
    'debug.step': { rate: 0.01, unit: 'debugger step', minimum: 1, unitsPerSecond: 1 },
    'debug.session': { rate: 0.5, unit: 'session started', minimum: 1, unitsPerSecond: 0 },
    'test_vectors.execute': { rate: 0.02, unit: 'vector executed', minimum: 10, unitsPerSecond: 5 },
    'sandbox.run': { rate: 1, unit: 'sandbox CPU-second', minimum: 0.1, unitsPerSecond: 0 },
    'security.review': { rate: 0.001, unit: 'line analysed', minimum: 100, unitsPerSecond: 200 },
    'dependencies.check': { rate: 0.05, unit: 'dependency checked', minimum: 1, unitsPerSecond: 2 },
    'code_graph.index': { rate: 0.0005, unit: 'line indexed', minimum: 1000, unitsPerSecond: 2000 },
    explain: { rate: 0.002, unit: 'graph node visited', minimum: 50, unitsPerSecond: 100 },
    'architecture.analyze': { rate: 0.001, unit: 'line analysed', minimum: 500, unitsPerSecond: 500 },
    'legacy.document': { rate: 0.002, unit: 'line analysed', minimum: 200, unitsPerSecond: 200 },
  } satisfies Record<string, OperationRate>,
} as const;

export type MeteredOperation = keyof typeof rateCard.operations;

/** What an operation measured about itself. */
export interface ComputeMeasurement {
  workUnits: number;
  durationSeconds: number;
}

/** Every input of one CU computation, as stored with the usage event. */
export interface ComputeUnitInputs extends ComputeMeasurement {
  operation: string;
  rateCardVersion: string;
  rate: number;
  minimum: number;
  unitsPerSecond: number;
}

/**
 * Prices one operation against the current rate card.
 *
 * @example
 * computeUnits('debug.step', { workUnits: 40, durationSeconds: 2 }); // { computeUnits: 0.4, inputs: {...} }
 */
export function computeUnits(
  operation: MeteredOperation,
  measurement: ComputeMeasurement,
): { computeUnits: number; inputs: ComputeUnitInputs } {
  const rate: OperationRate = rateCard.operations[operation];
  const inputs: ComputeUnitInputs = {
    operation,
    rateCardVersion: rateCard.version,
    rate: rate.rate,
    minimum: rate.minimum,
    unitsPerSecond: rate.unitsPerSecond,
    workUnits: measurement.workUnits,
    durationSeconds: measurement.durationSeconds,
  };
  return { computeUnits: recomputeComputeUnits(inputs), inputs };
}

/**
 * The CU of an event from its stored inputs alone (what an invoice check runs).
 *
 * @example
 * recomputeComputeUnits(JSON.parse(event.compute_unit_inputs));
 */
export function recomputeComputeUnits(inputs: ComputeUnitInputs): number {
  const measured = Math.max(inputs.workUnits, inputs.durationSeconds * inputs.unitsPerSecond);
  return roundUnits(inputs.rate * Math.max(inputs.minimum, measured));
}

/** CU are kept to 6 decimals so sums are stable across databases. */
function roundUnits(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
