"""The executor process for Python modules (see ../executor-protocol.ts). Started by the engine inside the
sandbox as `python3 python-executor.py <module>`: requests are JSON lines on file descriptor 3, answers JSON
lines on file descriptor 4, so the code under test keeps stdin, stdout and stderr to itself."""

import asyncio
import base64
import dataclasses
import datetime
import importlib.util
import inspect
import json
import linecache
import math
import os
import sys
import time
import traceback
import types

MAX_SAFE = 2**53
MAX_ITEMS = 100_000
MAX_STRING = 1_100_000
MAX_DEPTH = 64

requests = os.fdopen(3, "rb", buffering=0)
responses = os.fdopen(4, "wb", buffering=0)


def send(message):
    responses.write((json.dumps(message, ensure_ascii=True) + "\n").encode("ascii"))


def limit_memory():
    try:
        import resource

        megabytes = int(os.environ.get("PLUMB_EXECUTOR_MEMORY_MB", "1024"))
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except Exception:
        pass


def encode(value, ancestors=(), depth=0):
    if value is None or isinstance(value, bool):
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
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            return {"$": "truncated", "reason": f"string of {len(value)} characters"}
        return value
    if isinstance(value, (bytes, bytearray)):
        return {"$": "bytes", "v": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (datetime.datetime, datetime.date)):
        return {"$": "date", "v": value.isoformat()}
    if any(value is ancestor for ancestor in ancestors):
        return {"$": "cycle"}
    if depth >= MAX_DEPTH:
        return {"$": "truncated", "reason": f"nested deeper than {MAX_DEPTH} levels"}
    inner = ancestors + (value,)
    child = lambda item: encode(item, inner, depth + 1)
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            return {"$": "truncated", "reason": f"list of {len(value)} elements"}
        return [child(item) for item in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return {"$": "tuple", "v": [child(item) for item in value[:MAX_ITEMS]]}
    if isinstance(value, (set, frozenset)):
        return {"$": "set", "v": [child(item) for item in sorted(value, key=repr)[:MAX_ITEMS]]}
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            return {"$": "truncated", "reason": f"dict of {len(value)} entries"}
        if all(isinstance(key, str) for key in value):
            return {"$": "object", "v": [[key, child(item)] for key, item in value.items()]}
        return {"$": "map", "v": [[child(key), child(item)] for key, item in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"$": "object", "class": type(value).__name__, "v": [[field.name, child(getattr(value, field.name))] for field in dataclasses.fields(value)]}
    if hasattr(value, "_fields"):
        return {"$": "object", "class": type(value).__name__, "v": [[name, child(getattr(value, name))] for name in value._fields]}
    if callable(value) and not hasattr(value, "__dict__") or isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
        return {"$": "function", "name": getattr(value, "__name__", "")}
    if hasattr(value, "__dict__") and not isinstance(value, type) and not isinstance(value, types.ModuleType):
        return {"$": "object", "class": type(value).__name__, "v": [[key, child(item)] for key, item in vars(value).items() if not key.startswith("__")]}
    return {"$": "opaque", "type": type(value).__name__, "repr": repr(value)[:200]}


class Decoder:
    def __init__(self, module):
        self.module = module

    def decode(self, value):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, list):
            return [self.decode(item) for item in value]
        tag = value.get("$")
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
            return tuple(self.decode(item) for item in value["v"])
        if tag == "set":
            return set(self.decode(item) for item in value["v"])
        if tag == "map":
            return {self.decode(key): self.decode(item) for key, item in value["v"]}
        if tag == "object":
            entries = {key: self.decode(item) for key, item in value["v"]}
            cls = getattr(self.module, value.get("class") or "", None)
            if isinstance(cls, type) and dataclasses.is_dataclass(cls):
                try:
                    return cls(**entries)
                except TypeError:
                    return entries
            return entries
        if tag == "repeat":
            return value["v"] * value["n"]
        if tag == "array-repeat":
            return [self.decode(value["v"]) for _ in range(value["n"])]
        if tag == "nested":
            nested = self.decode(value["leaf"])
            for _ in range(value["depth"]):
                nested = [nested]
            return nested
        if tag == "sparse":
            items = [None] * value["length"]
            for index, item in value["v"]:
                items[index] = self.decode(item)
            return items
        if tag == "date":
            if value.get("v") is None:
                return "invalid-date"
            return datetime.datetime.fromisoformat(value["v"].replace("Z", "+00:00"))
        if tag == "bytes":
            return base64.b64decode(value["v"])
        if tag == "undefined":
            return Missing
        raise ValueError(f"cannot decode a value tagged {tag!r} into an argument")


class Missing:
    """An omitted argument: the call stops passing positional arguments here."""


def load_module(path):
    directory = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, directory)
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def callables(module):
    names = []
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isclass(value):
            for member, item in vars(value).items():
                if not member.startswith("_") and (inspect.isfunction(item) or isinstance(item, (staticmethod, classmethod))):
                    names.append(f"{name}.{member}")
        elif inspect.isfunction(value):
            names.append(name)
    return names


def resolve(module, name):
    first, _, member = name.partition(".")
    target = getattr(module, first, None)
    if not member:
        if not callable(target):
            raise NameError(f"the module has no function {name!r}")
        return target
    if not inspect.isclass(target):
        raise NameError(f"the module has no class {first!r}")
    raw = inspect.getattr_static(target, member, None)
    if isinstance(raw, (staticmethod, classmethod)):
        return getattr(target, member)
    if raw is None:
        raise NameError(f"class {first!r} has no method {member!r}")
    return getattr(target(), member)


def is_deliberate(error):
    """True when the innermost frame raised it with a `raise` statement in user code."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return False
    innermost = frames[-1]
    if innermost.filename == __file__ or "/lib/python" in innermost.filename:
        return False
    line = innermost.line or linecache.getline(innermost.filename, innermost.lineno)
    return line.strip().startswith("raise")


def describe_error(error):
    return {"type": type(error).__name__, "message": str(error)[:2000], "native": not is_deliberate(error)}


def call_once(function, decoder, encoded_arguments):
    arguments = []
    for item in encoded_arguments:
        decoded = decoder.decode(item)
        if decoded is Missing:
            break
        arguments.append(decoded)
    before = [json.dumps(encode(argument)) for argument in arguments]
    started = time.perf_counter()
    try:
        result = function(*arguments)
        if inspect.iscoroutine(result):
            result = asyncio.run(result)
        if inspect.isgenerator(result) or isinstance(result, (map, filter, zip, types.GeneratorType)) or (hasattr(result, "__next__") and hasattr(result, "__iter__")):
            items = []
            for item in result:
                items.append(item)
                if len(items) >= MAX_ITEMS:
                    break
            result = items
        duration = (time.perf_counter() - started) * 1000
        encoded = encode(result)
        return {"value": encoded, "durationMs": duration, "mutated": changed(arguments, before)}
    except (Exception, RecursionError, MemoryError) as error:
        duration = (time.perf_counter() - started) * 1000
        return {"error": describe_error(error), "durationMs": duration, "mutated": changed(arguments, before)}


def changed(arguments, before):
    indexes = []
    for index, argument in enumerate(arguments):
        try:
            if json.dumps(encode(argument)) != before[index]:
                indexes.append(index)
        except Exception:
            pass
    return indexes


def run(module, decoder, request):
    try:
        function = resolve(module, request["function"])
    except Exception as error:
        return {"status": "threw", "error": describe_error(error), "durationMs": 0, "mutatedArguments": []}
    first = call_once(function, decoder, request["arguments"])
    if "error" in first:
        return {"status": "threw", "error": first["error"], "durationMs": first["durationMs"], "mutatedArguments": first["mutated"]}
    outcome = {"status": "returned", "value": first["value"], "durationMs": first["durationMs"], "mutatedArguments": first["mutated"]}
    if request.get("repeat") == 2:
        second = call_once(function, decoder, request["arguments"])
        second_value = second["value"] if "error" not in second else {"$": "opaque", "type": "thrown", "repr": f"{second['error']['type']}: {second['error']['message']}"}
        if json.dumps(second_value) != json.dumps(first["value"]):
            outcome["secondValue"] = second_value
    return outcome


def main():
    limit_memory()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    try:
        module = load_module(sys.argv[1])
    except BaseException as error:  # SystemExit and KeyboardInterrupt at import are reported too.
        send({"type": "import-error", "error": {"type": type(error).__name__, "message": str(error)[:2000]}})
        return
    send({"type": "ready", "exports": callables(module)})
    decoder = Decoder(module)
    buffer = b""
    while True:
        chunk = requests.read(65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if not line.strip():
                continue
            try:
                request = json.loads(line)
            except Exception as error:
                send({"type": "result", "id": "", "outcome": {"status": "threw", "error": {"type": "ExecutorProtocolError", "message": str(error), "native": False}, "durationMs": 0, "mutatedArguments": []}})
                continue
            try:
                outcome = run(module, decoder, request)
            except BaseException as error:  # SystemExit from the code under test ends the call, not the executor.
                outcome = {"status": "threw", "error": {"type": type(error).__name__, "message": str(error)[:2000], "native": False}, "durationMs": 0, "mutatedArguments": []}
            send({"type": "result", "id": request.get("id", ""), "outcome": outcome})


if __name__ == "__main__":
    main()
