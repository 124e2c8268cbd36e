/**
 * What the diagram writers draw: nodes and directed edges. The architecture report's `modules` and
 * `dependencies` fit as they are (`{ nodes: report.modules, edges: report.dependencies }`), and explain's
 * neighbourhood graphs use the same shape.
 */
export interface DiagramNode {
  id: string;
  /** Shown instead of the id (ids are still what edges refer to). */
  label?: string | undefined;
}

export interface DiagramEdge {
  from: string;
  to: string;
  /** Drawn as the edge's label when above 1. */
  weight?: number | undefined;
  /** Drawn dashed: a compile-time (type-only) dependency. */
  typeOnly?: boolean | undefined;
  /** Drawn in red, with its ends: part of a dependency cycle. */
  inCycle?: boolean | undefined;
}

export interface DiagramGraph {
  nodes: readonly (DiagramNode | string)[];
  edges: readonly DiagramEdge[];
}

export interface DiagramOptions {
  /** Above this many nodes, file paths are collapsed to folders (with a warning). Default 60. */
  nodeLimit?: number | undefined;
  /** Layout direction. Default left to right. */
  direction?: 'right' | 'down' | undefined;
}

/** Diagram source text and what was simplified to draw it. */
export interface DiagramText {
  text: string;
  warnings: string[];
}

/** The colour of cycles in every format. */
export const cycleColour = '#d33';

export const defaultNodeLimit = 60;
