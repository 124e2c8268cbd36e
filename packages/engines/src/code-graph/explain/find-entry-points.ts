import type { CodeGraph } from '../code-graph.ts';
import type { ReferenceFact } from '../file-facts.ts';

export type EntryPointKind = 'http' | 'cli' | 'main' | 'schedule' | 'event';

/**
 * A place where execution starts from outside the code: a route, a command, a main function, a job. A node
 * can hold several (a function registering ten routes holds ten, one per registration line).
 */
export interface EntryPoint {
  /** A definition id, or `path#` for code at module level (route registrations, scripts). */
  node: string;
  kind: EntryPointKind;
  /** What triggers it, as far as the code says (`router.get`, `@Scheduled`, `main`). */
  label: string;
  path: string;
  line: number;
}

const routeVerbs = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'head',
  'options',
  'all',
  'route',
]);
const routeReceivers = /^(app|router|api|server|fastify|routes?|blueprint|bp|express|http|mux|r|e|g)$/i;
const routeDecorators =
  /^((app|router|api|blueprint|bp)\.(get|post|put|patch|delete|route|api_route)|(Get|Post|Put|Patch|Delete|Request)Mapping|Get|Post|Put|Patch|Delete|All|Route|Path|GET|POST|PUT|DELETE|PATCH)$/;
const cliDecorators = /^(click\.command|click\.group|command|app\.command|cli\.command|typer\.command)$/i;
const scheduleDecorators =
  /^(Scheduled|Cron|Interval|Timeout|celery\.task|app\.task|shared_task|periodic_task|scheduler\.scheduled_job)$/i;
const eventDecorators = /^(EventListener|KafkaListener|RabbitListener|OnEvent|SqsListener|JmsListener)$/;
const scheduleCalls = /^(schedule|scheduleJob|every|setInterval|addJob|cron)$/;
const cliCalls = /^(command|parse|parseAsync|add_parser|add_argument|ArgumentParser)$/;

/**
 * Finds entry points by what the code says: route decorators and registrations, main functions, CLI
 * command declarations, scheduled-job decorators and registrations, message listeners. Recognition is by
 * name and shape, so it is a best effort across frameworks; each entry point cites where it was seen.
 *
 * @example findEntryPoints(graph).filter((entry) => entry.kind === 'http').length
 */
export function findEntryPoints(graph: CodeGraph): EntryPoint[] {
  const found = new Map<string, EntryPoint>();
  const add = (entry: EntryPoint) => {
    const key = `${entry.node}@${entry.path}:${entry.line}`;
    if (!found.has(key)) found.set(key, entry);
  };
  for (const definition of graph.definitions.values()) {
    const file = graph.files.get(definition.path);
    if (file?.isTest) continue;
    const at = { node: definition.id, path: definition.path, line: definition.range.line };
    const decorator = (pattern: RegExp) => definition.decorators.find((name) => pattern.test(name));
    const route = decorator(routeDecorators);
    const command = decorator(cliDecorators);
    const schedule = decorator(scheduleDecorators);
    const event = decorator(eventDecorators);
    if (route) add({ ...at, kind: 'http', label: `@${route}` });
    else if (schedule) add({ ...at, kind: 'schedule', label: `@${schedule}` });
    else if (event) add({ ...at, kind: 'event', label: `@${event}` });
    else if (command) add({ ...at, kind: 'cli', label: `@${command}` });
    else if (definition.name === 'main' && (definition.kind === 'function' || definition.kind === 'method'))
      add({ ...at, kind: 'main', label: 'main' });
  }
  for (const file of graph.files.values()) {
    if (file.isTest) continue;
    // Route registrations anywhere in the file: each `router.post(...)` call is an entry point of its own,
    // attached to the definition that makes it (or the file, at module level).
    for (const reference of file.references) {
      if (
        reference.kind === 'call' &&
        routeVerbs.has(reference.name) &&
        reference.receiver !== undefined &&
        routeReceivers.test(reference.receiver)
      )
        add({
          node: reference.enclosing ?? `${file.path}#`,
          kind: 'http',
          label: `${reference.receiver}.${reference.name}`,
          path: file.path,
          line: reference.line,
        });
    }
    const moduleLevel = file.references.filter((reference) => reference.enclosing === undefined);
    const node = `${file.path}#`;
    const first = (test: (reference: ReferenceFact) => boolean) => moduleLevel.find(test);
    const schedule = first((reference) => reference.kind === 'call' && scheduleCalls.test(reference.name));
    const command = first((reference) => reference.kind === 'call' && cliCalls.test(reference.name));
    if (schedule)
      add({
        node,
        kind: 'schedule',
        label: schedule.receiver ? `${schedule.receiver}.${schedule.name}` : schedule.name,
        path: file.path,
        line: schedule.line,
      });
    else if (command)
      add({
        node,
        kind: 'cli',
        label: command.receiver ? `${command.receiver}.${command.name}` : command.name,
        path: file.path,
        line: command.line,
      });
    else if (moduleLevel.some((reference) => reference.kind === 'call' && reference.name === 'main'))
      add({ node, kind: 'main', label: 'script calling main()', path: file.path, line: 1 });
  }
  return [...found.values()].sort(
    (left, right) => left.path.localeCompare(right.path) || left.line - right.line,
  );
}
