"""The executor process for Python modules (see ../executor-protocol.ts). Started by the engine inside the
sandbox as `python3 python-executor.py <module>`: requests are JSON lines on file descriptor 3, answers JSON
lines on file descriptor 4, so the code under test keeps stdin, stdout and stderr to itself.

Standard library only; runs on Python 3.9 to 3.13. Importing this file has no side effects (the descriptors
are opened in `main`), so tests can load it to compare its encoder with the one emitted into pytest suites.
"""

# plumb:shared-begin
# This region is copied verbatim into every pytest suite emitted by emit-pytest.ts, so an emitted test
# describes values, resolves callables, binds arguments and materialises results exactly as the executor did.
import asyncio as _asyncio
import base64 as _base64
import dataclasses as _dataclasses
import datetime as _datetime
import enum as _enum
import inspect as _inspect
import itertools as _itertools
import math as _math
import re as _re
import types as _types

_MAX_SAFE = 2**53
_MAX_ITEMS = 100_000
_MAX_STRING = 1_100_000
_MAX_DEPTH = 64
_ADDRESS = _re.compile(r"0x[0-9a-fA-F]+")


def _describe(value, _ancestors=(), _depth=0):
    """A value as Plumb's EncodedValue (see ../encoded-value.ts), JSON-able and deterministic."""
    # bool before int: True is an int in Python.
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value) if -_MAX_SAFE <= value <= _MAX_SAFE else {"$": "bigint", "v": str(int(value))}
    if isinstance(value, float):
        if _math.isnan(value):
            return {"$": "nan"}
        if _math.isinf(value):
            return {"$": "infinity"} if value > 0 else {"$": "-infinity"}
        if value == 0 and _math.copysign(1, value) < 0:
            return {"$": "-0"}
        return float(value)
    if isinstance(value, str):
        if len(value) > _MAX_STRING:
            return {"$": "truncated", "reason": "string of %d characters" % len(value)}
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        if len(value) > _MAX_STRING:
            return {"$": "truncated", "reason": "bytes of %d bytes" % len(value)}
        return {"$": "bytes", "v": _base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (_datetime.datetime, _datetime.date)):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, _enum.Enum):
        # Enum parameters are analysed as unions of their values, so results are described the same way.
        return _describe(value.value, _ancestors, _depth)
    if any(value is ancestor for ancestor in _ancestors):
        return {"$": "cycle"}
    if _depth >= _MAX_DEPTH:
        return {"$": "truncated", "reason": "nested deeper than %d levels" % _MAX_DEPTH}
    inner = _ancestors + (value,)

    def child(item):
        return _describe(item, inner, _depth + 1)

    size = len(value) if isinstance(value, (list, tuple, set, frozenset, dict)) else 0
    if size > _MAX_ITEMS:
        return {"$": "truncated", "reason": "%s of %d elements" % (type(value).__name__, size)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {"$": "object", "class": type(value).__name__, "v": [[name, child(getattr(value, name))] for name in value._fields]}
    if isinstance(value, list):
        return [child(item) for item in value]
    if isinstance(value, tuple):
        return {"$": "tuple", "v": [child(item) for item in value]}
    if isinstance(value, (set, frozenset)):
        # Sorted by repr: set iteration order depends on hashing, which must not leak into results.
        return {"$": "set", "v": [child(item) for item in sorted(value, key=_sort_key)]}
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value):
            return {"$": "object", "v": [[str(key), child(item)] for key, item in value.items()]}
        return {"$": "map", "v": [[child(key), child(item)] for key, item in value.items()]}
    if isinstance(value, (range, type({}.keys()), type({}.values()), type({}.items()))):
        items = list(_itertools.islice(value, _MAX_ITEMS + 1))
        if len(items) > _MAX_ITEMS:
            return {"$": "truncated", "reason": "%s of more than %d elements" % (type(value).__name__, _MAX_ITEMS)}
        return [child(item) for item in items]
    if _dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"$": "object", "class": type(value).__name__, "v": [[field.name, child(getattr(value, field.name))] for field in _dataclasses.fields(value)]}
    if isinstance(value, (_types.FunctionType, _types.BuiltinFunctionType, _types.MethodType)):
        return {"$": "function", "name": getattr(value, "__name__", "")}
    if hasattr(value, "__dict__") and not isinstance(value, (type, _types.ModuleType)):
        return {"$": "object", "class": type(value).__name__, "v": [[key, child(item)] for key, item in vars(value).items() if not key.startswith("__")]}
    return {"$": "opaque", "type": type(value).__name__, "repr": _safe_repr(value)}


def _safe_repr(value):
    try:
        text = repr(value)
    except Exception as error:  # A broken __repr__ must not break the description.
        text = "<repr failed: %s>" % type(error).__name__
    # Memory addresses differ from run to run; without them the description is reproducible.
    return _ADDRESS.sub("0x?", text)[:200]


def _sort_key(item):
    return _safe_repr(item)


def _materialise(result):
    """Awaits coroutines and reads generators and iterators (at most 100,000 items): compare content, not identity."""
    if _inspect.iscoroutine(result):
        result = _asyncio.run(result)
    if _inspect.isasyncgen(result):

        async def collect(generator):
            items = []
            async for item in generator:
                items.append(item)
                if len(items) >= _MAX_ITEMS:
                    break
            return items

        return _asyncio.run(collect(result))
    if _inspect.isgenerator(result) or (hasattr(result, "__next__") and hasattr(result, "__iter__")):
        return list(_itertools.islice(result, _MAX_ITEMS))
    return result


def _resolve(module, name):
    """`name` or `Class.method`: methods are bound to a fresh instance built with no arguments, or to the class
    when static or class methods."""
    first, _, member = name.partition(".")
    target = getattr(module, first, None)
    if not member:
        if not callable(target):
            raise LookupError("the module has no function %r" % name)
        return target
    if not _inspect.isclass(target):
        raise LookupError("the module has no class %r" % first)
    raw = _inspect.getattr_static(target, member, None)
    if raw is None:
        raise LookupError("class %r has no method %r" % (first, member))
    if isinstance(raw, (staticmethod, classmethod)):
        return getattr(target, member)
    return getattr(target(), member)


def _split_arguments(function, arguments):
    """Positional arguments beyond the positional parameters fill the keyword-only ones in order, then *args:
    the analyser lists parameters in that order (positional, keyword-only, rest)."""
    try:
        parameters = list(_inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return list(arguments), {}
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    keyword_only = [p for p in parameters if p.kind == p.KEYWORD_ONLY]
    if not keyword_only or len(arguments) <= len(positional):
        return list(arguments), {}
    extra = list(arguments[len(positional):])
    keywords = {parameter.name: value for parameter, value in zip(keyword_only, extra)}
    return list(arguments[: len(positional)]) + extra[len(keyword_only):], keywords


def _date(text):
    """An ISO date as a datetime; a date Python cannot represent (or the engine's invalid date) stays a string."""
    if text is None:
        return "invalid-date"
    try:
        return _datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return text


def _build(module, class_name, fields):
    """An instance of the module's dataclass or NamedTuple when the fields fit it, else the plain dict."""
    cls = getattr(module, class_name or "", None)
    if isinstance(cls, type) and (_dataclasses.is_dataclass(cls) or (issubclass(cls, tuple) and hasattr(cls, "_fields"))):
        try:
            return cls(**fields)
        except TypeError:
            return fields
    return fields


# plumb:shared-end

import importlib.util
import json
import linecache
import os
import sys
import time
import traceback


class ProtocolError(Exception):
    """A request the executor cannot understand; answered as an `ExecutorProtocolError` outcome."""


class _Missing:
    """An omitted argument (`undefined`): the call stops passing positional arguments here."""


def decode(value, module, top_level=False):
    """An EncodedValue as a Python argument, freshly built (never shared between calls)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [decode(item, module) for item in value]
    if not isinstance(value, dict):
        raise ProtocolError("cannot decode %r" % (value,))
    tag = value.get("$")
    if tag == "undefined":
        # Only an argument can be left out; inside a collection the closest Python value is None.
        return _Missing if top_level else None
    if tag == "nan":
        return float("nan")
    if tag == "infinity":
        return float("inf")
    if tag == "-infinity":
        return float("-inf")
    if tag == "-0":
        return -0.0
    if tag == "bigint":
        return int(value["v"])
    if tag == "tuple":
        return tuple(decode(item, module) for item in value["v"])
    if tag == "set":
        return set(decode(item, module) for item in value["v"])
    if tag == "map":
        return {decode(key, module): decode(item, module) for key, item in value["v"]}
    if tag == "object":
        fields = {key: decode(item, module) for key, item in value["v"]}
        return _build(module, value.get("class"), fields) if value.get("class") else fields
    if tag == "repeat":
        return value["v"] * value["n"]
    if tag == "array-repeat":
        return [decode(value["v"], module) for _ in range(value["n"])]
    if tag == "nested":
        nested = decode(value["leaf"], module)
        for _ in range(value["depth"]):
            nested = [nested]
        return nested
    if tag == "sparse":
        items = [None] * value["length"]
        for index, item in value["v"]:
            items[index] = decode(item, module)
        return items
    if tag == "date":
        return _date(value.get("v"))
    if tag == "bytes":
        return _base64.b64decode(value["v"])
    raise ProtocolError("cannot decode a value tagged %r into an argument" % (tag,))


def decode_arguments(encoded, module):
    if not isinstance(encoded, list):
        raise ProtocolError("arguments must be a list")
    arguments = []
    for item in encoded:
        decoded = decode(item, module, top_level=True)
        if decoded is _Missing:
            break
        arguments.append(decoded)
    return arguments


def is_deliberate(error):
    """True when the innermost frame raised it with a `raise` statement in the user's code (not the runtime,
    not the standard library, not this executor)."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return False
    innermost = frames[-1]
    filename = os.path.abspath(innermost.filename) if innermost.filename else ""
    if filename == os.path.abspath(__file__) or filename.startswith(LIBRARY_PREFIXES):
        return False
    line = innermost.line or linecache.getline(innermost.filename, innermost.lineno)
    return line.strip().startswith("raise")


def library_prefixes():
    prefixes = set()
    for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix):
        prefixes.add(os.path.join(prefix, "lib") + os.sep)
    # Debian keeps the standard library under /usr/lib/python3.X and packages under /usr/lib/python3/dist-packages.
    prefixes.add(os.path.dirname(os.__file__) + os.sep)
    return tuple(sorted(prefixes))


LIBRARY_PREFIXES = library_prefixes()


def describe_error(error, native=None):
    try:
        message = str(error)
    except Exception:
        message = "<str() failed>"
    return {
        "type": type(error).__name__,
        "message": message[:2000],
        "native": (not is_deliberate(error)) if native is None else native,
    }


def snapshot(arguments):
    descriptions = []
    for argument in arguments:
        try:
            descriptions.append(json.dumps(_describe(argument), sort_keys=False))
        except BaseException:  # A value that cannot be described cannot be compared either.
            descriptions.append(None)
    return descriptions


def changed(before, after):
    return [index for index, (first, second) in enumerate(zip(before, after)) if first is not None and first != second]


def call_once(module, name, encoded_arguments):
    """One call with freshly decoded arguments and a fresh instance (for methods)."""
    arguments = decode_arguments(encoded_arguments, module)
    before = snapshot(arguments)
    started = time.perf_counter()
    try:
        function = _resolve(module, name)
        positional, keywords = _split_arguments(function, arguments)
        result = _materialise(function(*positional, **keywords))
        duration = (time.perf_counter() - started) * 1000
        value = _describe(result)
        del result
        return {"value": value, "durationMs": duration, "mutatedArguments": changed(before, snapshot(arguments))}
    except BaseException as error:  # RecursionError, MemoryError and SystemExit are the function's outcomes too.
        duration = (time.perf_counter() - started) * 1000
        described = describe_error(error)
        del error
        return {"error": described, "durationMs": duration, "mutatedArguments": changed(before, snapshot(arguments))}


def run(module, request):
    if not isinstance(request, dict) or request.get("type") != "run":
        raise ProtocolError("expected a request of type 'run'")
    name = request.get("function")
    if not isinstance(name, str):
        raise ProtocolError("the request names no function")
    first = call_once(module, name, request.get("arguments", []))
    if "error" in first:
        return {"status": "threw", "error": first["error"], "durationMs": first["durationMs"], "mutatedArguments": first["mutatedArguments"]}
    outcome = {"status": "returned", "value": first["value"], "durationMs": first["durationMs"], "mutatedArguments": first["mutatedArguments"]}
    if request.get("repeat") == 2:
        second = call_once(module, name, request.get("arguments", []))
        if "error" in second:
            second_value = {"$": "opaque", "type": "thrown", "repr": ("%s: %s" % (second["error"]["type"], second["error"]["message"]))[:200]}
        else:
            second_value = second["value"]
        if json.dumps(second_value) != json.dumps(first["value"]):
            outcome["secondValue"] = second_value
    return outcome


def load_module(path):
    path = os.path.abspath(path)
    sys.path.insert(0, os.path.dirname(path))
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot import %s" % path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def callables(module):
    """Top-level functions and `Class.method` names defined by the module itself (not imported)."""
    names = []
    for name, value in list(vars(module).items()):
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if _inspect.isclass(value):
            for member, item in vars(value).items():
                if not member.startswith("_") and (_inspect.isfunction(item) or isinstance(item, (staticmethod, classmethod))):
                    names.append("%s.%s" % (name, member))
        elif _inspect.isfunction(value) or (callable(value) and hasattr(value, "__wrapped__")):
            names.append(name)
    return names


def limit_memory():
    try:
        import resource

        limit = int(os.environ.get("PLUMB_EXECUTOR_MEMORY_MB", "1024")) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except Exception:  # No `resource` (Windows) or a hard limit below ours: run without the cap.
        pass


def protocol_error(request_id, message):
    return {
        "type": "result",
        "id": request_id,
        "outcome": {"status": "threw", "error": {"type": "ExecutorProtocolError", "message": message[:2000], "native": False}, "durationMs": 0, "mutatedArguments": []},
    }


def main():
    requests = os.fdopen(3, "rb")
    responses = os.fdopen(4, "wb")

    def send(message):
        # ensure_ascii keeps lone surrogates as \\udXXX escapes, which JSON.parse turns back into the same string.
        responses.write((json.dumps(message, ensure_ascii=True, allow_nan=False) + "\n").encode("ascii"))
        responses.flush()

    limit_memory()
    try:
        module = load_module(sys.argv[1])
    except BaseException as error:  # SystemExit and KeyboardInterrupt at import are reported too.
        send({"type": "import-error", "error": {"type": type(error).__name__, "message": str(error)[:2000]}})
        return
    send({"type": "ready", "exports": callables(module)})
    for line in requests:
        if not line.strip():
            continue
        request_id = ""
        try:
            # surrogatepass: a lone surrogate written raw (WTF-8) rather than as a \\u escape still decodes.
            request = json.loads(line.decode("utf-8", "surrogatepass"))
            if isinstance(request, dict) and isinstance(request.get("id"), str):
                request_id = request["id"]
            message = {"type": "result", "id": request_id, "outcome": run(module, request)}
        except ProtocolError as error:
            message = protocol_error(request_id, str(error))
        except (ValueError, KeyError, TypeError, IndexError, RecursionError) as error:
            message = protocol_error(request_id, "bad request: %s: %s" % (type(error).__name__, error))
        except BaseException as error:  # Whatever escapes a call ends the call, not the executor.
            message = {
                "type": "result",
                "id": request_id,
                "outcome": {"status": "threw", "error": describe_error(error, native=True), "durationMs": 0, "mutatedArguments": []},
            }
        try:
            send(message)
        except (ValueError, TypeError, RecursionError) as error:
            send(protocol_error(request_id, "the outcome could not be serialised: %s" % error))


if __name__ == "__main__":
    main()
