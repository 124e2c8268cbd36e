import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { PlumbError } from '@plumb/protocol';

let graphvizPromise: Promise<Graphviz> | undefined;

/**
 * SVG of a DOT graph, laid out by Graphviz compiled to WebAssembly (no browser, no native binary). The XML
 * prolog and doctype are removed so the result starts with `<svg` and can be inlined in HTML or Markdown.
 * Graphviz is loaded once per process. Throws PlumbError `invalid_request` when the DOT text does not parse.
 *
 * @example (await renderSvg(toDot(graph).text)).startsWith('<svg') // => true
 */
export async function renderSvg(dotText: string): Promise<string> {
  graphvizPromise ??= Graphviz.load();
  const graphviz = await graphvizPromise;
  let svg: string;
  try {
    svg = graphviz.dot(dotText);
  } catch (error) {
    throw new PlumbError(
      'invalid_request',
      `Graphviz could not lay out the DOT text: ${(error as Error).message}. Check its syntax.`,
      {
        param: 'dot',
        cause: error,
      },
    );
  }
  const start = svg.indexOf('<svg');
  return start < 0 ? svg : svg.slice(start);
}
