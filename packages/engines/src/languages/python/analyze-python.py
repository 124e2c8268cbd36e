"""Reads the public functions of a Python file with the standard library's `ast` module (never importing or
running it) and prints one JSON object shaped like Plumb's `SourceAnalysis` (see
../../test-vectors/analyzed-function.ts). Preconditions in prose are left to the TypeScript wrapper."""

import ast
import base64
import json
import math
import re
import sys

MAX_SAFE = 2**53


def encode(value):
    """A Python literal as Plumb's EncodedValue (the same tags as the executor uses)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) <= MAX_SAFE else {"$": "bigint", "v": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"$": "nan"}
        if math.isinf(value):
            return {"$": "infinity"} if value > 0 else {"$": "-infinity"}
        if value == 0 and math.copysign(1, value) < 0:
            return {"$": "-0"}
        return value
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, tuple):
        return {"$": "tuple", "v": [encode(item) for item in value]}
    if isinstance(value, (set, frozenset)):
        return {"$": "set", "v": [encode(item) for item in sorted(value, key=repr)]}
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value):
            return {"$": "object", "v": [[key, encode(item)] for key, item in value.items()]}
        return {"$": "map", "v": [[encode(key), encode(item)] for key, item in value.items()]}
    if isinstance(value, bytes):
        return {"$": "bytes", "v": base64.b64encode(value).decode("ascii")}
    raise ValueError("not a literal")


class ModuleTypes:
    """Classes of the module that shape parameters: dataclasses/TypedDicts (objects) and enums (literals)."""

    def __init__(self, tree):
        self.objects = {}
        self.enums = {}
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {base_name(base) for base in node.bases}
            decorators = {base_name(decorator) for decorator in node.decorator_list}
            if bases & {"Enum", "IntEnum", "StrEnum"}:
                values = []
                for statement in node.body:
                    if isinstance(statement, ast.Assign):
                        try:
                            values.append(ast.literal_eval(statement.value))
                        except Exception:
                            pass
                self.enums[node.name] = values
            elif "dataclass" in decorators or "TypedDict" in bases or "NamedTuple" in bases:
                fields = []
                for statement in node.body:
                    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                        fields.append((statement.target.id, statement.annotation, statement.value is not None))
                self.objects[node.name] = fields


def base_name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return base_name(node.func)
    return ""


SEQUENCES = {"list", "List", "Sequence", "MutableSequence", "Iterable", "Collection", "Iterator", "Generator", "deque"}
SETS = {"set", "Set", "frozenset", "FrozenSet", "AbstractSet", "MutableSet"}
MAPPINGS = {"dict", "Dict", "Mapping", "MutableMapping", "OrderedDict", "defaultdict", "Counter"}


class Shaper:
    def __init__(self, types):
        self.types = types

    def shape(self, node, depth=0):
        if node is None:
            return {"kind": "any"}
        if depth > 6:
            return {"kind": "any"}
        if isinstance(node, ast.Constant):
            if node.value is None:
                return {"kind": "null"}
            if isinstance(node.value, str):
                try:
                    return self.shape(ast.parse(node.value, mode="eval").body, depth + 1)
                except SyntaxError:
                    return {"kind": "unsupported", "text": node.value}
            return {"kind": "unsupported", "text": repr(node.value)}
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return self.union([self.shape(node.left, depth + 1), self.shape(node.right, depth + 1)])
        name = base_name(node.value if isinstance(node, ast.Subscript) else node)
        if isinstance(node, ast.Subscript):
            arguments = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if name == "Optional":
                return self.union([self.shape(arguments[0], depth + 1), {"kind": "null"}])
            if name == "Union":
                return self.union([self.shape(argument, depth + 1) for argument in arguments])
            if name == "Literal":
                options = []
                for argument in arguments:
                    try:
                        value = ast.literal_eval(argument)
                    except Exception:
                        continue
                    options.append({"kind": "null"} if value is None else {"kind": "literal", "value": value})
                return options[0] if len(options) == 1 else {"kind": "union", "options": options}
            if name in SEQUENCES:
                return {"kind": "array", "element": self.shape(arguments[0], depth + 1)}
            if name in ("tuple", "Tuple"):
                if len(arguments) == 2 and isinstance(arguments[1], ast.Constant) and arguments[1].value is Ellipsis:
                    return {"kind": "array", "element": self.shape(arguments[0], depth + 1)}
                return {"kind": "tuple", "elements": [self.shape(argument, depth + 1) for argument in arguments]}
            if name in SETS:
                return {"kind": "set", "element": self.shape(arguments[0], depth + 1)}
            if name in MAPPINGS:
                return {"kind": "record", "value": self.shape(arguments[-1], depth + 1)}
            if name in ("Annotated", "Final", "ClassVar"):
                return self.shape(arguments[0], depth + 1)
            if name in ("Callable", "Type", "type"):
                return {"kind": "unsupported", "text": ast.unparse(node)}
            return {"kind": "unsupported", "text": ast.unparse(node)}
        if name == "int":
            return {"kind": "number", "integer": True}
        if name == "float":
            return {"kind": "number"}
        if name == "bool":
            return {"kind": "boolean"}
        if name == "str":
            return {"kind": "string"}
        if name in ("None", "NoneType"):
            return {"kind": "null"}
        if name in ("Any", "object"):
            return {"kind": "any"}
        if name in ("datetime", "date"):
            return {"kind": "date"}
        if name in SEQUENCES:
            return {"kind": "array", "element": {"kind": "any"}}
        if name in ("tuple", "Tuple"):
            return {"kind": "array", "element": {"kind": "any"}}
        if name in SETS:
            return {"kind": "set", "element": {"kind": "any"}}
        if name in MAPPINGS:
            return {"kind": "record", "value": {"kind": "any"}}
        if name in self.types.enums:
            values = self.types.enums[name]
            return {"kind": "union", "options": [{"kind": "literal", "value": value} for value in values]}
        if name in self.types.objects:
            return {
                "kind": "object",
                "className": name,
                "properties": [
                    {"name": field, "type": self.shape(annotation, depth + 1), "optional": has_default}
                    for field, annotation, has_default in self.types.objects[name]
                ],
            }
        return {"kind": "unsupported", "text": ast.unparse(node) if not isinstance(node, str) else node}

    @staticmethod
    def union(options):
        flat = []
        for option in options:
            flat.extend(option["options"] if option["kind"] == "union" else [option])
        return {"kind": "union", "options": flat}


SECTION = re.compile(r"^\s*(Args|Arguments|Parameters|Params|Returns|Return|Yields|Raises|Raise|Examples?|Notes?|Attributes|See Also|References)\s*:?\s*$")


def parse_docstring(text):
    """Google, NumPy and reST docstrings to summary, parameter descriptions and types, returns and raises."""
    result = {"summary": "", "params": {}, "types": {}, "returns": None, "raises": []}
    if not text:
        return result
    lines = text.expandtabs().splitlines()
    paragraphs = text.strip().split("\n\n")
    result["summary"] = " ".join(paragraphs[0].split()) if paragraphs and not SECTION.match(paragraphs[0].splitlines()[0]) else ""
    # reST fields.
    for match in re.finditer(r":param\s+(?:(\w[\w\[\], .|]*)\s+)?(\w+):\s*(.*)", text):
        result["params"][match.group(2)] = match.group(3).strip()
        if match.group(1):
            result["types"][match.group(2)] = match.group(1).strip()
    for match in re.finditer(r":type\s+(\w+):\s*(.*)", text):
        result["types"][match.group(1)] = match.group(2).strip()
    for match in re.finditer(r":returns?:\s*(.*)", text):
        result["returns"] = match.group(1).strip()
    for match in re.finditer(r":raises?\s+([\w.]+):\s*(.*)", text):
        result["raises"].append({"type": match.group(1).split(".")[-1], "description": match.group(2).strip()})
    # Google and NumPy sections.
    section = None
    numpy_style = False
    current = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        header = SECTION.match(line)
        next_line = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if header and (stripped.endswith(":") or re.match(r"^-{3,}$", next_line)):
            section = header.group(1).lower()
            numpy_style = bool(re.match(r"^-{3,}$", next_line))
            current = None
            continue
        if not stripped or stripped.startswith(">>>"):
            # Sections end at a blank line (Google and NumPy) and before doctests.
            section = None
            current = None
            continue
        if re.match(r"^-{3,}$", stripped):
            continue
        if section in ("args", "arguments", "parameters", "params"):
            google = re.match(r"^(\*{0,2}\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$", stripped)
            numpy = re.match(r"^(\w+)\s*:\s*(.+)$", stripped) if numpy_style else None
            if numpy and (not google or numpy_style):
                current = numpy.group(1)
                result["types"][current] = numpy.group(2).split(",")[0].strip()
                result["params"][current] = ""
            elif google and len(line) - len(line.lstrip()) <= indent_of_section(lines, index):
                current = google.group(1).lstrip("*")
                result["params"][current] = google.group(3).strip()
                if google.group(2):
                    result["types"][current] = google.group(2).split(",")[0].strip()
            elif current:
                result["params"][current] = (result["params"][current] + " " + stripped).strip()
        elif section in ("returns", "return", "yields"):
            result["returns"] = ((result["returns"] or "") + " " + stripped).strip()
        elif section in ("raises", "raise"):
            entry = re.match(r"^([\w.]+)\s*:\s*(.*)$", stripped) if not numpy_style else re.match(r"^([\w.]+)\s*$", stripped)
            if entry:
                result["raises"].append({"type": entry.group(1).split(".")[-1], "description": entry.group(2).strip() if entry.lastindex and entry.lastindex > 1 else ""})
            elif result["raises"]:
                result["raises"][-1]["description"] = (result["raises"][-1]["description"] + " " + stripped).strip()
    return result


def indent_of_section(lines, index):
    """Parameter entries sit at the smallest indentation below their section header."""
    indents = []
    for line in lines[max(0, index - 30):index + 1]:
        if line.strip():
            indents.append(len(line) - len(line.lstrip()))
    return max(indents) if indents else 0


def parse_doctests(text, function_name, class_name, warnings, parameter_names):
    examples = []
    if not text:
        return examples
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if not line.startswith(">>>"):
            index += 1
            continue
        source = line[3:].strip()
        index += 1
        while index < len(lines) and lines[index].strip().startswith("..."):
            source += "\n" + lines[index].strip()[3:].lstrip()
            index += 1
        expected_lines = []
        while index < len(lines) and lines[index].strip() and not lines[index].strip().startswith(">>>"):
            expected_lines.append(lines[index].strip())
            index += 1
        example = parse_example(source, expected_lines, function_name, class_name, parameter_names)
        if example is None:
            warnings.append(f"{qualified(function_name, class_name)}: doctest '{source.splitlines()[0]}' is not a literal call of the function; skipped.")
        else:
            examples.append(example)
    return examples


def qualified(function_name, class_name):
    return f"{class_name}.{function_name}" if class_name else function_name


def parse_example(source, expected_lines, function_name, class_name, parameter_names):
    try:
        call = ast.parse(source, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(call, ast.Call):
        return None
    callee = call.func
    callee_ok = (isinstance(callee, ast.Name) and callee.id == function_name and not class_name) or (
        isinstance(callee, ast.Attribute) and callee.attr == function_name and class_name is not None
    )
    if not callee_ok:
        return None
    try:
        arguments = [encode(ast.literal_eval(argument)) for argument in call.args]
        for keyword in call.keywords:
            if keyword.arg not in parameter_names:
                return None
            position = parameter_names.index(keyword.arg)
            while len(arguments) < position:
                return None
            if len(arguments) == position:
                arguments.append(encode(ast.literal_eval(keyword.value)))
            else:
                return None
    except Exception:
        return None
    if expected_lines and expected_lines[0].startswith("Traceback"):
        last = expected_lines[-1]
        error_type = last.split(":", 1)[0].split(".")[-1].strip()
        return {"source": source, "arguments": arguments, "expected": {"kind": "throws", "errorType": error_type}}
    expected_text = " ".join(expected_lines) if expected_lines else "None"
    try:
        expected = encode(ast.literal_eval(expected_text))
    except Exception:
        return None
    return {"source": source, "arguments": arguments, "expected": {"kind": "returns", "value": expected}}


INTEGER_NAMES = re.compile(r"^(n|count|index|idx|size|limit|offset|page|width|height|depth|times|i|j|k|num|number)$", re.I)
STRING_NAMES = re.compile(r"^(s|str|string|text|name|word|path|url|email|title|slug|label|message|line)$", re.I)
ARRAY_NAMES = re.compile(r"^(items|values|xs|lst|list|array|arr|numbers|elements|entries|seq|data)$", re.I)
STRING_METHODS = {"upper", "lower", "strip", "lstrip", "rstrip", "split", "startswith", "endswith", "replace", "casefold", "encode", "isdigit", "isalpha", "title", "capitalize", "splitlines", "zfill"}
LIST_METHODS = {"append", "extend", "pop", "insert", "sort", "reverse", "remove"}


def infer_type(name, default, body, doc_type, shaper):
    if doc_type:
        try:
            return shaper.shape(ast.parse(doc_type.replace(" or ", " | "), mode="eval").body), "its docstring type"
        except SyntaxError:
            pass
    if default is not None:
        try:
            value = ast.literal_eval(default)
            if isinstance(value, bool):
                return {"kind": "boolean"}, "its default value"
            if isinstance(value, int):
                return {"kind": "number", "integer": True}, "its default value"
            if isinstance(value, float):
                return {"kind": "number"}, "its default value"
            if isinstance(value, str):
                return {"kind": "string"}, "its default value"
            if isinstance(value, list):
                return {"kind": "array", "element": {"kind": "any"}}, "its default value"
        except Exception:
            pass
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == name:
            if node.attr in STRING_METHODS:
                return {"kind": "string"}, f"the string method .{node.attr}() called on it"
            if node.attr in LIST_METHODS:
                return {"kind": "array", "element": {"kind": "any"}}, f"the list method .{node.attr}() called on it"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == name:
            if node.func.id == "range":
                return {"kind": "number", "integer": True}, "being passed to range()"
            if node.func.id == "len":
                return {"kind": "union", "options": [{"kind": "string"}, {"kind": "array", "element": {"kind": "any"}}]}, "being passed to len()"
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)):
            for side in (node.left, node.right):
                if isinstance(side, ast.Name) and side.id == name:
                    return {"kind": "number"}, "arithmetic on it"
        if isinstance(node, ast.For) and isinstance(node.iter, ast.Name) and node.iter.id == name:
            return {"kind": "array", "element": {"kind": "any"}}, "being iterated"
    if INTEGER_NAMES.match(name):
        return {"kind": "number", "integer": True}, "its name"
    if STRING_NAMES.match(name):
        return {"kind": "string"}, "its name"
    if ARRAY_NAMES.match(name):
        return {"kind": "array", "element": {"kind": "any"}}, "its name"
    return None, None


def read_function(node, shaper, warnings, class_name=None, is_static=False):
    docstring = ast.get_docstring(node) or ""
    doc = parse_docstring(docstring)
    qualified_name = qualified(node.name, class_name)
    arguments = node.args
    positional = list(arguments.posonlyargs) + list(arguments.args)
    if class_name and not is_static and positional:
        positional = positional[1:]
    elif class_name and is_static == "classmethod" and positional:
        positional = positional[1:]
    defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
    parameters = []
    unsupported = []

    def add(argument, default, rest=False, keyword_only=False):
        name = argument.arg
        annotation = argument.annotation
        entry = {
            "name": name,
            "optional": default is not None,
            "hasDefault": default is not None,
            "rest": rest,
            "description": doc["params"].get(name, ""),
            "constraints": {},
        }
        if annotation is not None:
            entry["type"] = shaper.shape(annotation)
            entry["typeText"] = ast.unparse(annotation)
        else:
            inferred, source = infer_type(name, default, node.body, doc["types"].get(name), shaper)
            if inferred is not None:
                entry["type"] = inferred
                entry["typeText"] = doc["types"].get(name) or inferred["kind"]
                entry["inferredFrom"] = source
                warnings.append(f'{qualified_name}: parameter "{name}" has no annotation; inferred {entry["typeText"]} from {source}.')
            else:
                entry["type"] = {"kind": "any"}
                entry["typeText"] = "Any"
        if entry["type"]["kind"] == "number" and entry["type"].get("integer"):
            entry["constraints"]["integer"] = True
        if entry["type"]["kind"] == "unsupported":
            unsupported.append(name)
        if keyword_only and default is None:
            warnings.append(f"{qualified_name}: keyword-only parameter {name} has no default; vectors pass it positionally is impossible, so it is left out.")
            return
        if keyword_only:
            return
        parameters.append(entry)

    for argument, default in zip(positional, defaults):
        add(argument, default)
    if arguments.vararg:
        add(arguments.vararg, None, rest=True)
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        add(argument, default, keyword_only=True)
    if arguments.kwarg:
        warnings.append(f"{qualified_name}: **{arguments.kwarg.arg} is not varied.")
    returns = shaper.shape(node.returns) if node.returns is not None else {"kind": "any"}
    if isinstance(node, ast.AsyncFunctionDef) and returns["kind"] == "unsupported":
        returns = {"kind": "any"}
    result = {
        "name": qualified_name,
        "kind": "method" if class_name else "function",
        "isAsync": isinstance(node, ast.AsyncFunctionDef),
        "line": node.lineno,
        "column": node.col_offset + 1,
        "summary": doc["summary"],
        "parameters": parameters,
        "returns": {"type": returns, "typeText": ast.unparse(node.returns) if node.returns is not None else "Any"},
        "throws": doc["raises"],
        "examples": parse_doctests(docstring, node.name, class_name, warnings, [parameter["name"] for parameter in parameters]),
        "documentsMutation": bool(re.search(r"\bin[- ]place\b|\bmutates?\b|\bmodif(y|ies)\b", docstring, re.I)),
        "unsupported": unsupported,
    }
    if doc["returns"]:
        result["returns"]["description"] = doc["returns"]
    if class_name:
        result["className"] = class_name
        result["isStatic"] = bool(is_static)
    return result


def analyze(path):
    with open(path, "rb") as handle:
        source = handle.read()
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as error:
        return {"error": {"type": "SyntaxError", "message": error.msg, "line": error.lineno or 1, "column": error.offset or 1}}
    except ValueError as error:
        return {"error": {"type": "SyntaxError", "message": str(error), "line": 1, "column": 1}}
    shaper = Shaper(ModuleTypes(tree))
    warnings = []
    functions = []
    exported = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets):
            try:
                exported = set(ast.literal_eval(node.value))
            except Exception:
                pass
    public = lambda name: (name in exported) if exported is not None else not name.startswith("_")
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and public(node.name):
            functions.append(read_function(node, shaper, warnings))
        elif isinstance(node, ast.ClassDef) and public(node.name):
            if node.name in shaper.types.enums or node.name in shaper.types.objects:
                continue
            init = next((item for item in node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"), None)
            constructible = init is None or len(init.args.args) - 1 <= len(init.args.defaults)
            for item in node.body:
                if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) or item.name.startswith("_"):
                    continue
                decorators = {base_name(decorator) for decorator in item.decorator_list}
                static = "staticmethod" if "staticmethod" in decorators else "classmethod" if "classmethod" in decorators else False
                if "property" in decorators:
                    continue
                if not static and not constructible:
                    warnings.append(f"{node.name}.{item.name} skipped: {node.name}() needs constructor arguments, so the engine cannot build an instance.")
                    continue
                functions.append(read_function(item, shaper, warnings, class_name=node.name, is_static=static))
    if not functions:
        warnings.append(f"{path.rsplit('/', 1)[-1]} defines no public functions.")
    return {"language": "python", "file": path, "functions": functions, "warnings": warnings}


if __name__ == "__main__":
    print(json.dumps(analyze(sys.argv[1]), ensure_ascii=True))
