/** Where untrusted data comes from: remote request, the local environment, or an unknown caller. */
export type TaintKind = 'request' | 'local' | 'parameter';

/** Node kinds and source expressions the taint tracker needs for one grammar. */
export interface TaintGrammar {
  /** The grammar name (kind validity is checked per grammar). */
  language: string;
  /** Identifier kinds inside destructuring patterns (bound names). */
  patternIdentifierKinds: string[];
  functionKinds: string[];
  /** Assignment-like nodes: kind, the field of the target, the field of the value, and whether it accumulates. */
  assignments: { kind: string; left: string; right: string; accumulates: boolean }[];
  ifKinds: string[];
  callKinds: string[];
  /** Literals that never carry taint (their interpolations are checked separately). */
  literalKinds: string[];
  /** Children of string literals that hold interpolated expressions. */
  interpolationKinds: string[];
  ternaryKinds: string[];
  /** Member access: only the object side can carry taint. */
  memberKinds: { kind: string; objectField: string }[];
  /** Node kinds whose text is tested against the source patterns. */
  sourceCandidateKinds: string[];
  identifierKinds: string[];
  requestSources: RegExp[];
  localSources: RegExp[];
  /** Parameter decorators or annotations that make a parameter request data. */
  requestParameterMarker: RegExp;
  /** Function decorators that make every parameter request data (route handlers). */
  handlerDecorator: RegExp | undefined;
  /** Parameters whose declared type the framework converts to a scalar (int, UUID, datetime): never taint. */
  scalarParameter?: RegExp;
}

const javascript: TaintGrammar = {
  language: 'javascript',
  patternIdentifierKinds: ['identifier', 'shorthand_property_identifier_pattern'],
  functionKinds: [
    'function_declaration',
    'function_expression',
    'arrow_function',
    'method_definition',
    'generator_function_declaration',
  ],
  assignments: [
    { kind: 'variable_declarator', left: 'name', right: 'value', accumulates: false },
    { kind: 'assignment_expression', left: 'left', right: 'right', accumulates: false },
    { kind: 'augmented_assignment_expression', left: 'left', right: 'right', accumulates: true },
  ],
  ifKinds: ['if_statement'],
  callKinds: ['call_expression', 'new_expression'],
  literalKinds: ['string', 'template_string', 'number', 'true', 'false', 'null', 'undefined', 'regex'],
  interpolationKinds: ['template_substitution'],
  ternaryKinds: ['ternary_expression'],
  memberKinds: [
    { kind: 'member_expression', objectField: 'object' },
    { kind: 'subscript_expression', objectField: 'object' },
  ],
  sourceCandidateKinds: [
    'member_expression',
    'subscript_expression',
    'call_expression',
    'identifier',
    'await_expression',
  ],
  identifierKinds: ['identifier', 'shorthand_property_identifier'],
  requestSources: [
    /^(req|request|ctx\.request|ctx|context\.req|context\.request|event|httpRequest)\.(params|body|query|headers|cookies|signedCookies|files?|url|originalUrl|path|hostname|ip|search|queryStringParameters|pathParameters|rawBody|nextUrl)\b/,
    /^(req|request)\.(param|get|header)\(/,
    /^(await\s+)?(req|request)\.(json|text|formData)\(/,
    /^(window\.|document\.)?location\.(hash|search|href|pathname)\b/,
    /^document\.(URL|documentURI|referrer|cookie|baseURI)\b/,
    /^window\.name\b/,
    /\bsearchParams\.get(All)?\(/,
  ],
  localSources: [
    /^process\.(argv|env)\b/,
    /^(await\s+)?(fs\.|fsp\.|fs\.promises\.)?readFile(Sync)?\(/,
    /^prompt\(/,
  ],
  requestParameterMarker: /@(Body|Query|Param|Params|Headers|Req|Request|UploadedFile)\s*\(/,
  handlerDecorator: undefined,
};

const python: TaintGrammar = {
  language: 'python',
  patternIdentifierKinds: ['identifier'],
  functionKinds: ['function_definition', 'lambda'],
  assignments: [
    { kind: 'assignment', left: 'left', right: 'right', accumulates: false },
    { kind: 'augmented_assignment', left: 'left', right: 'right', accumulates: true },
  ],
  ifKinds: ['if_statement', 'elif_clause'],
  callKinds: ['call'],
  literalKinds: ['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none'],
  interpolationKinds: ['interpolation'],
  ternaryKinds: ['conditional_expression'],
  memberKinds: [
    { kind: 'attribute', objectField: 'object' },
    { kind: 'subscript', objectField: 'value' },
  ],
  sourceCandidateKinds: ['attribute', 'subscript', 'call', 'identifier', 'await'],
  identifierKinds: ['identifier'],
  requestSources: [
    /^(flask\.)?(self\.)?request\.(args|form|json|values|cookies|headers|data|files|GET|POST|body|query_params|path_params|get_json|get_data|COOKIES|META|FILES|stream|url|path|full_path|query_string)\b/,
  ],
  localSources: [
    /^input\(/,
    /^sys\.(argv|stdin)\b/,
    /^os\.environ\b/,
    /^os\.getenv\(/,
    /^open\(.*\)\.read\(/,
    /^[\w.()]*\.parse_args\(\)/,
  ],
  requestParameterMarker: /\b(Query|Path|Body|Form|Header|Cookie|File)\s*\(/,
  handlerDecorator: /^@\s*[\w.]+\.(get|post|put|delete|patch|route|api_route|websocket)\s*\(/m,
  scalarParameter:
    /^\w+\s*:\s*(Optional\[\s*)?(int|float|bool|datetime|date|time|timedelta|UUID|uuid\.UUID|Decimal|PositiveInt|NonNegativeInt|conint\([^)]*\)|confloat\([^)]*\))\s*\]?\s*(\|\s*None\s*)?(=|$)/,
};

const java: TaintGrammar = {
  language: 'java',
  patternIdentifierKinds: ['identifier'],
  functionKinds: ['method_declaration', 'constructor_declaration', 'lambda_expression'],
  assignments: [
    { kind: 'variable_declarator', left: 'name', right: 'value', accumulates: false },
    { kind: 'assignment_expression', left: 'left', right: 'right', accumulates: false },
  ],
  ifKinds: ['if_statement'],
  callKinds: ['method_invocation', 'object_creation_expression'],
  literalKinds: ['string_literal', 'decimal_integer_literal', 'true', 'false', 'null_literal', 'text_block'],
  interpolationKinds: [],
  ternaryKinds: ['ternary_expression'],
  memberKinds: [
    { kind: 'field_access', objectField: 'object' },
    { kind: 'array_access', objectField: 'array' },
  ],
  sourceCandidateKinds: ['method_invocation', 'identifier', 'array_access'],
  identifierKinds: ['identifier'],
  requestSources: [
    /^(request|req|httpRequest|servletRequest|httpServletRequest)\.(getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getQueryString|getCookies|getInputStream|getReader|getRequestURI|getPathInfo)\(/,
  ],
  localSources: [/^System\.getenv\(/, /^args\[/],
  requestParameterMarker:
    /@(RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|QueryParam|PathParam|FormParam)\b/,
  handlerDecorator: undefined,
  scalarParameter:
    /^(final\s+)?(@\w+(\([^)]*\))?\s+)*(int|long|short|byte|double|float|boolean|Integer|Long|Short|Double|Float|Boolean|UUID|LocalDate|LocalDateTime|Instant|BigDecimal)\s+\w+$/,
};

/** The taint grammar of a rule language. */
export function taintGrammarOf(language: 'javascript' | 'python' | 'java' | 'go'): TaintGrammar | undefined {
  if (language === 'javascript') return javascript;
  if (language === 'python') return python;
  if (language === 'java') return java;
  return undefined;
}

/** Conversions that always make a value safe, whatever the sink. */
export const universalSanitizers = new Set([
  'parseInt',
  'parseFloat',
  'Number',
  'Boolean',
  'int',
  'float',
  'bool',
  'Integer.parseInt',
  'Long.parseLong',
  'parseLong',
  'valueOf',
  'UUID',
  'uuid.UUID',
  'Math.floor',
  'Math.round',
  'isNaN',
  'len',
  'hash',
  'isinstance',
  'literal_eval',
  'ast.literal_eval',
]);

/** Calls whose result does not carry the taint of their arguments (lookups, predicates, hashes). */
export const nonPropagatingCall =
  /^(find\w*|count\w*|exists|hash\w*|compare\w*|verify|includes|has|test|startsWith|endsWith|startswith|endswith|indexOf|isdigit|isalnum|isnumeric|match|search|fullmatch|query|execute|fetchone|fetchall|all|first|filter_by|get_object_or_404|authenticate|check_password|isValid\w*|is_valid\w*)$/;

/** Functions that build strings: their result is "built" from their tainted arguments. */
export const buildingCall = /^(format|join|concat|sprintf|String\.format|util\.format|replace|formatted)$/;

/** A condition that validates a value (allow-list, regex, prefix, type checks, validator libraries). */
export const validatingCondition =
  /\.(includes|has|test|startsWith|startswith|endsWith|fullmatch|isdigit|isalnum|isnumeric|isalpha|isdecimal|isidentifier|isInteger|isSafeInteger|is_relative_to|matches|contains|containsKey)\s*\(|\b(not\s+)?in\s+[A-Za-z_([{]|\bvalidator\.|\bvalidators\.|\bisValid\w*\(|\bis_valid\w*\(|\bvalidate\w*\(|\btypeof\s+[\w.]+\s*[!=]==?\s*['"]number|\bNumber\.isInteger|\bre\.(fullmatch|match)\(|\bos\.path\.commonpath|\bis_safe_url|\burl_has_allowed_host_and_scheme|\bisSafe\w*\(|\.(origin|host|hostname|protocol|netloc|scheme)\s*(!==?|===?|not in|in)\s*[\w'"]|\bis_(local|safe|allowed|same|trusted)\w*\(|\bisAllowed\w*\(|\ballowed\w*\(|__proto__|['"]constructor['"]|['"]prototype['"]/i;

const requestTextHints = new WeakMap<TaintGrammar, RegExp>();

/**
 * A regular expression that every file with a request source matches somewhere: the grammar's request source
 * patterns and handler decorator without their start anchors, its request parameter markers, and (where
 * handler decorators exist, Python) a first parameter named `request` (a Django view). A superset, so a file
 * that does not match has no request data at all.
 *
 * @example requestTextHint(taintGrammarOf('python')!).test('x = request.args["q"]') // => true
 */
export function requestTextHint(grammar: TaintGrammar): RegExp {
  let hint = requestTextHints.get(grammar);
  if (hint === undefined) {
    const unanchored = (pattern: RegExp): string => `(?:${pattern.source.replace(/^\^/, '')})`;
    const parts = [...grammar.requestSources, grammar.requestParameterMarker].map(unanchored);
    if (grammar.handlerDecorator !== undefined)
      parts.push(unanchored(grammar.handlerDecorator), String.raw`\(\s*request\b`);
    hint = new RegExp(parts.join('|'));
    requestTextHints.set(grammar, hint);
  }
  return hint;
}
