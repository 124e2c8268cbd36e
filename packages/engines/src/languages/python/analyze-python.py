"""Reads the public functions of a Python file with the standard library's `ast` module (never importing or
running it) and prints one JSON object shaped like Plumb's `SourceAnalysis` (see
../../test-vectors/analyzed-function.ts). Preconditions in prose are left to the TypeScript wrapper."""

import ast
import base64
import json
import math
import os
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
            if bases & {"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag"}:
                values = []
                for statement in node.body:
                    if isinstance(statement, ast.Assign):
                        try:
                            value = ast.literal_eval(statement.value)
                        except Exception:  # auto() and computed values have no literal to offer.
                            continue
                        if isinstance(value, (str, int, float, bool)) and value not in values:
                            values.append(value)
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
            if not values:
                return {"kind": "unsupported", "text": name}
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


SECTION = re.compile(r"^\s*(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Other Parameters|Returns|Return|Yields|Raises|Raise|Examples?|Notes?|Attributes|See Also|References|Warnings?)\s*:?\s*$")
DASHES = re.compile(r"^\s*-{3,}\s*$")


def indent(line):
    return len(line) - len(line.lstrip())


def parse_docstring(text):
    """Google, NumPy and reST docstrings to summary, parameter descriptions and types, returns and raises."""
    result = {"summary": "", "params": {}, "types": {}, "returns": None, "raises": []}
    if not text:
        return result
    lines = text.expandtabs().splitlines()
    # Summary: the first paragraph, stopping at a section header, a field list or a doctest.
    summary = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if summary:
                break
            continue
        if SECTION.match(line) or stripped.startswith((":", ">>>")):
            break
        summary.append(stripped)
    result["summary"] = " ".join(summary)
    # reST fields.
    for match in re.finditer(r":param\s+(?:([^:]*?)\s+)?(\*{0,2}\w+):[ \t]*(.*(?:\n[ \t]+(?!:)\S.*)*)", text):
        result["params"][match.group(2).lstrip("*")] = " ".join(match.group(3).split())
        if match.group(1):
            result["types"][match.group(2).lstrip("*")] = match.group(1).strip()
    for match in re.finditer(r":type\s+(\*{0,2}\w+):\s*(.*)", text):
        result["types"][match.group(1).lstrip("*")] = match.group(2).strip()
    for match in re.finditer(r":returns?:[ \t]*(.*)", text):
        result["returns"] = match.group(1).strip()
    for match in re.finditer(r":raises?\s+([\w.]+)\s*:[ \t]*(.*)", text):
        result["raises"].append({"type": match.group(1).split(".")[-1], "description": match.group(2).strip()})
    # Google sections ("Args:" then entries indented below it) and NumPy sections ("Parameters" underlined
    # with dashes, entries at the header's indentation, descriptions indented below them).
    index = 0
    while index < len(lines):
        header = SECTION.match(lines[index])
        numpy_style = bool(header) and index + 1 < len(lines) and bool(DASHES.match(lines[index + 1]))
        if not header or not (lines[index].strip().endswith(":") or numpy_style):
            index += 1
            continue
        section = header.group(1).lower()
        header_indent = indent(lines[index])
        index += 2 if numpy_style else 1
        entry_indent = None
        entries = []
        while index < len(lines):
            line = lines[index]
            stripped = line.strip()
            if not stripped:
                index += 1
                continue
            if SECTION.match(line) and (stripped.endswith(":") or (index + 1 < len(lines) and DASHES.match(lines[index + 1]))):
                break
            if stripped.startswith(">>>") or indent(line) < header_indent or (not numpy_style and indent(line) <= header_indent):
                break
            if entry_indent is None:
                entry_indent = indent(line)
            if indent(line) <= entry_indent:
                entries.append([stripped, []])
            elif entries:
                entries[-1][1].append(stripped)
            index += 1
        read_section(section, entries, numpy_style, result)
    return result


def read_section(section, entries, numpy_style, result):
    for head, body in entries:
        description = " ".join(body)
        if section in ("args", "arguments", "parameters", "params", "keyword args", "keyword arguments", "other parameters"):
            if numpy_style:
                match = re.match(r"^(\*{0,2}\w+)\s*(?::\s*(.*))?$", head)
                if match:
                    name = match.group(1).lstrip("*")
                    result["params"][name] = description
                    if match.group(2):
                        result["types"][name] = match.group(2).split(",")[0].strip()
            else:
                match = re.match(r"^(\*{0,2}\w+)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$", head)
                if match:
                    name = match.group(1).lstrip("*")
                    result["params"][name] = (match.group(3) + " " + description).strip()
                    if match.group(2):
                        result["types"][name] = match.group(2).split(",")[0].strip()
        elif section in ("returns", "return", "yields"):
            result["returns"] = ((result["returns"] or "") + " " + head + " " + description).strip()
        elif section in ("raises", "raise"):
            match = re.match(r"^([\w.]+)\s*(?::\s*(.*))?$", head)
            if match:
                text = ((match.group(2) or "") + " " + description).strip()
                result["raises"].append({"type": match.group(1).split(".")[-1], "description": text})


def parse_doctests(text, function_name, class_name, warnings, parameters):
    """Doctest `>>>` examples (with `...` continuations) whose call and expected output are literals."""
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
            source += "\n" + lines[index].strip()[3:].strip()
            index += 1
        expected_lines = []
        while index < len(lines) and lines[index].strip() and not lines[index].strip().startswith(">>>"):
            expected_lines.append(lines[index].strip())
            index += 1
        example, reason = parse_example(source, expected_lines, function_name, class_name, parameters)
        if example is None:
            if reason is None and re.search(r"\b%s\b" % re.escape(function_name), source):
                reason = "not a literal call of the function"
            if reason:
                warnings.append("%s: doctest '%s' skipped: %s." % (qualified(function_name, class_name), source.splitlines()[0], reason))
        else:
            examples.append(example)
    return examples


def qualified(function_name, class_name):
    return "%s.%s" % (class_name, function_name) if class_name else function_name


def is_own_callee(callee, function_name, class_name):
    """`name(...)` for a function; `Class.name(...)` or `Class().name(...)` for a method."""
    if class_name is None:
        return isinstance(callee, ast.Name) and callee.id == function_name
    if not (isinstance(callee, ast.Attribute) and callee.attr == function_name):
        return False
    owner = callee.value
    if isinstance(owner, ast.Name):
        return owner.id == class_name
    return isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == class_name and not owner.args and not owner.keywords


def parse_example(source, expected_lines, function_name, class_name, parameters):
    """(example, None), or (None, why it was skipped); (None, None) for doctests that do not call the function."""
    try:
        call = ast.parse(source, mode="eval").body
    except SyntaxError:
        return None, None
    if not isinstance(call, ast.Call):
        return None, None
    if not is_own_callee(call.func, function_name, class_name):
        return None, None
    names = [name for name, _ in parameters]
    try:
        values = [ast.literal_eval(argument) for argument in call.args]
        keywords = {}
        for keyword in call.keywords:
            if keyword.arg is None or keyword.arg not in names:
                return None, "keyword argument %s is not a parameter it can pass" % (keyword.arg or "**")
            keywords[names.index(keyword.arg)] = ast.literal_eval(keyword.value)
    except Exception:
        return None, "its arguments are not literals"
    if keywords:
        # Vectors pass arguments by position: parameters skipped before a keyword get their literal default.
        for position in range(len(values), max(keywords) + 1):
            if position in keywords:
                values.append(keywords[position])
                continue
            default = parameters[position][1]
            try:
                values.append(ast.literal_eval(default))
            except Exception:
                return None, "parameter %s is skipped and has no literal default" % names[position]
    arguments = [encode(value) for value in values]
    if expected_lines and expected_lines[0].startswith("Traceback"):
        last = expected_lines[-1]
        error_type = last.split(":", 1)[0].split(".")[-1].strip()
        return {"source": source, "arguments": arguments, "expected": {"kind": "throws", "errorType": error_type}}, None
    expected_text = "\n".join(expected_lines) if expected_lines else "None"
    try:
        expected = encode(ast.literal_eval(expected_text))
    except Exception:
        try:
            expected = encode(ast.literal_eval(" ".join(expected_lines)))
        except Exception:
            return None, "its expected output is not a literal"
    return {"source": source, "arguments": arguments, "expected": {"kind": "returns", "value": expected}}, None


INTEGER_NAMES = re.compile(r"^(n|count|index|idx|size|limit|offset|page|width|height|depth|times|i|j|k|num|number)$", re.I)
STRING_NAMES = re.compile(r"^(s|str|string|text|name|word|path|url|email|title|slug|label|message|line)$", re.I)
ARRAY_NAMES = re.compile(r"^(items|values|xs|lst|list|array|arr|numbers|elements|entries|seq|data)$", re.I)
STRING_METHODS = {"upper", "lower", "strip", "lstrip", "rstrip", "split", "startswith", "endswith", "replace", "casefold", "encode", "isdigit", "isalpha", "title", "capitalize", "splitlines", "zfill"}
LIST_METHODS = {"append", "extend", "pop", "insert", "sort", "reverse", "remove"}


def infer_type(name, default, body, doc_type, shaper):
    """(shape, what it was inferred from) for an unannotated parameter, or (None, None)."""
    if doc_type:
        try:
            text = re.sub(r"\blist of (\w+)s?\b", r"list[\1]", doc_type).replace(" or ", " | ")
            shape = shaper.shape(ast.parse(text, mode="eval").body)
            if shape["kind"] != "unsupported":
                return shape, "its docstring type"
        except SyntaxError:
            pass
    if default is not None:
        try:
            value = ast.literal_eval(default)
        except Exception:
            value = None
        shape = literal_shape(value)
        if shape is not None:
            return shape, "its default value"
    evidence = {}
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        for rank, shape, source in usage_evidence(node, name):
            evidence.setdefault(rank, (shape, source))
    if evidence:
        return evidence[min(evidence)]
    if INTEGER_NAMES.match(name):
        return {"kind": "number", "integer": True}, "its name"
    if STRING_NAMES.match(name):
        return {"kind": "string"}, "its name"
    if ARRAY_NAMES.match(name):
        return {"kind": "array", "element": {"kind": "any"}}, "its name"
    return None, None


def literal_shape(value):
    if isinstance(value, bool):
        return {"kind": "boolean"}
    if isinstance(value, int):
        return {"kind": "number", "integer": True}
    if isinstance(value, float):
        return {"kind": "number"}
    if isinstance(value, str):
        return {"kind": "string"}
    if isinstance(value, (list, tuple)) and not isinstance(value, tuple):
        return {"kind": "array", "element": {"kind": "any"}}
    if isinstance(value, dict):
        return {"kind": "record", "value": {"kind": "any"}}
    return None


def is_name(node, name):
    return isinstance(node, ast.Name) and node.id == name


def is_number(node):
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def usage_evidence(node, name):
    """(rank, shape, source) for what one node says about `name`; lower ranks are stronger evidence."""
    found = []
    sized = {"kind": "union", "options": [{"kind": "string"}, {"kind": "array", "element": {"kind": "any"}}]}
    if isinstance(node, ast.Attribute) and is_name(node.value, name):
        if node.attr in STRING_METHODS:
            found.append((0, {"kind": "string"}, "the string method .%s() called on it" % node.attr))
        elif node.attr in LIST_METHODS:
            found.append((1, {"kind": "array", "element": {"kind": "any"}}, "the list method .%s() called on it" % node.attr))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args and is_name(node.args[0], name):
        if node.func.id == "range":
            found.append((2, {"kind": "number", "integer": True}, "being passed to range()"))
        elif node.func.id == "len":
            found.append((6, sized, "being passed to len()"))
    if isinstance(node, ast.Subscript) and is_name(node.value, name):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            found.append((3, {"kind": "record", "value": {"kind": "any"}}, "being indexed with a string key"))
    if isinstance(node, (ast.BinOp, ast.AugAssign)):
        left, right = (node.left, node.right) if isinstance(node, ast.BinOp) else (node.target, node.value)
        for side, other in ((left, right), (right, left)):
            if not is_name(side, name):
                continue
            if isinstance(node.op, (ast.Add, ast.Mult)) and is_number(other):
                found.append((4, {"kind": "number"}, "arithmetic with a number"))
            elif isinstance(node.op, (ast.Sub, ast.Div, ast.FloorDiv, ast.Pow)):
                found.append((4, {"kind": "number"}, "arithmetic on it"))
    if isinstance(node, ast.Compare) and is_name(node.left, name) and all(is_number(item) for item in node.comparators):
        found.append((5, {"kind": "number"}, "being compared with a number"))
    if isinstance(node, (ast.For, ast.comprehension)) and is_name(node.iter, name):
        found.append((7, {"kind": "array", "element": {"kind": "any"}}, "being iterated"))
    return found


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

    def add(argument, default, rest=False):
        name = argument.arg
        annotation = argument.annotation
        entry = {
            "name": name,
            "optional": default is not None or rest,
            "hasDefault": default is not None,
            "rest": rest,
            "description": doc["params"].get(name, ""),
            "constraints": {},
        }
        if annotation is not None:
            entry["type"] = shaper.shape(annotation)
            entry["typeText"] = ast.unparse(annotation)
            if rest:
                # `*args: int` annotates each element; the rest parameter holds them all.
                entry["type"] = {"kind": "array", "element": entry["type"]}
        else:
            inferred, source = infer_type(name, default, node.body, doc["types"].get(name), shaper)
            if inferred is not None and not rest:
                entry["type"] = inferred
                entry["typeText"] = doc["types"].get(name) if source == "its docstring type" else describe_shape(inferred)
                entry["inferredFrom"] = source
                warnings.append('%s: parameter "%s" has no annotation; inferred %s from %s.' % (qualified_name, name, entry["typeText"], source))
            else:
                entry["type"] = {"kind": "array", "element": {"kind": "any"}} if rest else {"kind": "any"}
                entry["typeText"] = "Any"
        if entry["type"]["kind"] == "number" and entry["type"].get("integer"):
            entry["constraints"]["integer"] = True
        if entry["type"]["kind"] == "unsupported":
            unsupported.append(name)
        parameters.append(entry)
        defaults_by_name.append((name, default))

    defaults_by_name = []
    for argument, default in zip(positional, defaults):
        add(argument, default)
    # Keyword-only parameters follow the positional ones; the executor passes the extra positional arguments to
    # them in this order. The rest parameter comes last, as in TypeScript.
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults):
        add(argument, default)
    if arguments.vararg:
        add(arguments.vararg, None, rest=True)
    if arguments.kwarg:
        warnings.append("%s: **%s is ignored: vectors pass arguments by position only." % (qualified_name, arguments.kwarg.arg))
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
        "examples": parse_doctests(docstring, node.name, class_name, warnings, defaults_by_name),
        "documentsMutation": documents_mutation(docstring),
        "unsupported": unsupported,
    }
    if doc["returns"]:
        result["returns"]["description"] = doc["returns"]
    if class_name:
        result["className"] = class_name
        result["isStatic"] = bool(is_static)
    return result


def describe_shape(shape):
    """A type shape in Python's words, for typeText and warnings."""
    kind = shape["kind"]
    if kind == "number":
        return "int" if shape.get("integer") else "float"
    if kind == "array":
        return "list[%s]" % describe_shape(shape["element"])
    if kind == "record":
        return "dict[str, %s]" % describe_shape(shape["value"])
    if kind == "union":
        return " | ".join(describe_shape(option) for option in shape["options"])
    return {"string": "str", "boolean": "bool", "null": "None", "any": "Any", "date": "datetime"}.get(kind, kind)


MUTATION = re.compile(r"\bin[- ]place\b|\bmutat(?:es|ing|e)\b|\bmodif(?:ies|y|ying)\b", re.I)
NEGATION = re.compile(r"\b(?:not|never|without|no)\b|n't\b", re.I)


def documents_mutation(docstring):
    """True when the docstring says an argument is changed; "does not modify its input" does not count."""
    for match in MUTATION.finditer(docstring):
        before = docstring[max(0, match.start() - 30):match.start()]
        sentence_start = max(before.rfind("."), before.rfind("\n\n"))
        if not NEGATION.search(before[sentence_start + 1:]):
            return True
    return False


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
    def public(name):
        return (name in exported) if exported is not None else not name.startswith("_")

    by_name = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and public(node.name):
            if is_overload(node):
                continue
            # A later definition replaces an earlier one, as it does when the module runs.
            by_name[node.name] = [read_function(node, shaper, warnings)]
        elif isinstance(node, ast.ClassDef) and public(node.name):
            by_name[node.name] = read_class(node, shaper, warnings)
    functions = [function for entries in by_name.values() for function in entries]
    if not functions:
        warnings.append("%s defines no public functions." % os.path.basename(path))
    return {"language": "python", "file": path, "functions": functions, "warnings": warnings}


def is_overload(node):
    return any(base_name(decorator) == "overload" for decorator in node.decorator_list)


def read_class(node, shaper, warnings):
    """Public methods of a top-level class; instance methods only when `Class()` needs no arguments."""
    if node.name in shaper.types.enums:
        return []
    if node.name in shaper.types.objects:
        # Dataclasses, NamedTuples and TypedDicts take their fields as constructor arguments.
        constructible = all(has_default for _, _, has_default in shaper.types.objects[node.name])
        needs = "its fields"
    else:
        init = next((item for item in node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"), None)
        constructible = init is None or (
            len(init.args.posonlyargs) + len(init.args.args) - 1 <= len(init.args.defaults)
            and all(default is not None for default in init.args.kw_defaults)
        )
        needs = "constructor arguments"
    methods = {}
    for item in node.body:
        if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) or item.name.startswith("_") or is_overload(item):
            continue
        decorators = {base_name(decorator) for decorator in item.decorator_list}
        if decorators & {"property", "cached_property", "setter", "getter", "deleter"}:
            continue
        static = "staticmethod" if "staticmethod" in decorators else "classmethod" if "classmethod" in decorators else False
        if not static and not constructible:
            warnings.append("%s.%s skipped: %s() needs %s, so the engine cannot build an instance." % (node.name, item.name, node.name, needs))
            continue
        methods[item.name] = read_function(item, shaper, warnings, class_name=node.name, is_static=static)
    return list(methods.values())


if __name__ == "__main__":
    print(json.dumps(analyze(sys.argv[1]), ensure_ascii=True))
