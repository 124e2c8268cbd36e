"""Plumb's Python debug controller: runs a program under the standard library's bdb.

Started by python-debug-backend.ts as `python python-debug-controller.py <program> [args...]`. Requests arrive
as JSON lines on fd 3, responses and events leave on fd 4, so the program's own stdout and stderr stay untouched.
With `--coverage` before the program it only records the lines each user file ran and writes them to fd 4 at exit.
"""

import bdb
import builtins
import ctypes
import json
import os
import queue
import reprlib
import signal
import site
import sys
import sysconfig
import threading
import traceback
import types

VALUE_LIMIT = 200
LOCALS_LIMIT = 25
CONTROLLER = os.path.abspath(__file__)
NOT_USER = tuple(
    os.path.abspath(p) + os.sep
    for p in {
        *(sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")),
        *site.getsitepackages(),
    }
)
_repr = reprlib.Repr()
_repr.maxstring = VALUE_LIMIT
_repr.maxother = VALUE_LIMIT
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 20

responses = os.fdopen(4, "w", buffering=1, encoding="utf-8")
_send_lock = threading.Lock()


def send(message):
    with _send_lock:
        responses.write(json.dumps(message) + "\n")
        responses.flush()


def is_user_file(filename):
    if not filename or filename.startswith("<"):
        return False
    filename = os.path.abspath(filename)
    if os.sep + "site-packages" + os.sep in filename or os.sep + "dist-packages" + os.sep in filename:
        return False
    return filename != CONTROLLER and not filename.startswith(NOT_USER)


def describe(value):
    try:
        text = _repr.repr(value) if not isinstance(value, str) else repr(value)
    except Exception as error:  # a broken __repr__ must not break the debugger
        text = f"<unprintable {type(value).__name__}: {error}>"
    return text if len(text) <= VALUE_LIMIT else text[: VALUE_LIMIT - 1] + "…"


def is_expandable(value):
    if isinstance(value, (str, bytes, int, float, complex, bool, type(None))):
        return False
    if isinstance(value, (dict, list, tuple, set, frozenset)):
        return len(value) > 0
    return hasattr(value, "__dict__") and not callable(value) and not isinstance(value, type(sys))


def children(value):
    if isinstance(value, dict):
        return [(describe(key), item) for key, item in value.items()]
    if isinstance(value, (list, tuple)):
        return [(str(index), item) for index, item in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        return [(str(index), item) for index, item in enumerate(value)]
    return list(vars(value).items())


def executable_lines(filename):
    with open(filename, encoding="utf-8") as source:
        code = compile(source.read(), filename, "exec")
    lines, stack = set(), [code]
    while stack:
        current = stack.pop()
        lines.update(line for _, _, line in current.co_lines() if line is not None)
        stack.extend(constant for constant in current.co_consts if hasattr(constant, "co_lines"))
    # Line 0 and the module's implicit return on the last line are not places a person means.
    lines.discard(0)
    return lines


class EvaluationTimeout(Exception):
    pass


class Breakpoint:
    def __init__(self, identifier, line, request):
        self.id = identifier
        self.line = line
        self.condition = request.get("condition")
        self.hit_condition = request.get("hitCondition")
        self.log_message = request.get("logMessage")
        self.hits = 0

    def hit_matches(self):
        text = (self.hit_condition or "").strip()
        if not text:
            return True
        for operator in (">=", "<=", "==", ">", "<", "%"):
            if text.startswith(operator):
                count = int(text[len(operator) :])
                return {
                    ">=": self.hits >= count,
                    "<=": self.hits <= count,
                    "==": self.hits == count,
                    ">": self.hits > count,
                    "<": self.hits < count,
                    "%": self.hits % count == 0,
                }[operator]
        return self.hits == int(text)


class Controller(bdb.Bdb):
    def __init__(self, requests, stop_on_entry):
        super().__init__()
        self.requests = requests
        self.stop_on_entry = stop_on_entry
        self.entered = False
        self.pause_requested = False
        self.stepping = False
        self.breakpoints = {}  # canonical file -> line -> Breakpoint
        self.next_breakpoint_id = 1
        self.exception_filters = set()
        self.seen_exception = None
        self.references = {}
        self.hit_ids = []
        self.interacting = False
        self.step_out_target = None

    # -- where to stop ---------------------------------------------------------------------------------------
    def stop_here(self, frame):
        return is_user_file(frame.f_code.co_filename) and super().stop_here(frame)

    def break_anywhere(self, frame):
        return self.canonic(frame.f_code.co_filename) in self.breakpoints

    def break_here(self, frame):
        lines = self.breakpoints.get(self.canonic(frame.f_code.co_filename))
        breakpoint = lines and lines.get(frame.f_lineno)
        if not breakpoint:
            return False
        if breakpoint.condition:
            try:
                if not eval(breakpoint.condition, frame.f_globals, frame.f_locals):
                    return False
            except Exception:
                pass  # like pdb: a condition that fails stops, so the person sees why
        breakpoint.hits += 1
        if not breakpoint.hit_matches():
            return False
        if breakpoint.log_message is not None:
            send({"event": "output", "body": {"category": "console", "output": self.interpolate(breakpoint.log_message, frame) + "\n"}})
            return False
        self.hit_ids = [breakpoint.id]
        return True

    def interpolate(self, message, frame):
        import re

        def value(match):
            try:
                result = eval(match.group(1), frame.f_globals, frame.f_locals)
                return result if isinstance(result, str) else describe(result)
            except Exception as error:
                return f"<{type(error).__name__}: {error}>"

        return re.sub(r"\{([^{}]+)\}", value, message)

    def set_continue(self):
        # bdb drops its trace function when it has no breakpoints of its own; ours live elsewhere, and a
        # breakpoint set while running must still be able to fire.
        self._set_stopinfo(self.botframe, None, -1)

    def dispatch_call(self, frame, arg):
        result = super().dispatch_call(frame, arg)
        if result is None and self.exception_filters - {"uncaught"} and is_user_file(frame.f_code.co_filename):
            return self.trace_dispatch
        return result

    def dispatch_exception(self, frame, arg):
        exception_type, exception, _ = arg
        if exception is not self.seen_exception and is_user_file(frame.f_code.co_filename):
            wanted = "all" in self.exception_filters or (
                "assertion" in self.exception_filters and issubclass(exception_type, AssertionError)
            )
            if wanted and not issubclass(exception_type, (StopIteration, GeneratorExit, SystemExit)):
                self.seen_exception = exception
                self.interaction(frame, None, "exception", exception)
                return self.trace_dispatch
        return super().dispatch_exception(frame, arg)

    def step_out(self, frame):
        # bdb's "return" stops at the caller's next line, which never comes when the call sits on the caller's
        # last line; an opcode event in the caller stops right after the return instead, as V8 does.
        self.set_return(frame)
        caller = frame.f_back
        while caller is not None and not is_user_file(caller.f_code.co_filename):
            caller = caller.f_back
        if caller is not None:
            # Only this frame's trace function sees opcode events; every other event goes on to bdb.
            caller.f_trace = self.step_out_dispatch
            caller.f_trace_opcodes = True
            self.step_out_target = caller

    def step_out_dispatch(self, frame, event, arg):
        if event != "opcode":
            return self.trace_dispatch(frame, event, arg)
        if frame is self.step_out_target and not self.quitting:
            self.interaction(frame, None, "step")
        return self.trace_dispatch

    def user_call(self, frame, argument_list):
        pass  # stop at the function's first line instead, as a person expects from "step in"

    def user_return(self, frame, return_value):
        pass

    def user_exception(self, frame, exc_info):
        pass  # handled in dispatch_exception, with our filters

    def user_line(self, frame):
        if not self.entered:
            self.entered = True
            if not self.stop_on_entry and not self.break_here(frame):
                self.set_continue()
                return
            self.interaction(frame, None, "entry" if self.stop_on_entry else "breakpoint")
            return
        reason = "pause" if self.pause_requested else "breakpoint" if self.hit_ids else "step"
        self.interaction(frame, None, reason)

    def request_pause(self, signum, frame):
        if self.interacting:
            return  # already stopped: the pause arrived just after a breakpoint or step
        self.pause_requested = True
        self.set_trace(frame)

    # -- stopped: answer requests until told to resume ---------------------------------------------------------
    def interaction(self, frame, tb, reason, exception=None):
        if tb is not None:  # post mortem: the traceback's frames, up to the faulting one
            stack, _ = self.get_stack(None, tb)
            cut = next((i for i, (f, _) in enumerate(stack) if f is frame), len(stack) - 1)
            stack = stack[: cut + 1]
        else:
            stack, _ = self.get_stack(frame, tb)
        self.frames = [f for f, _ in reversed(stack) if is_user_file(f.f_code.co_filename)]
        self.line_of = {id(f): line for f, line in stack}
        self.references = {}
        self.interacting = True
        if self.step_out_target is not None:
            self.step_out_target.f_trace_opcodes = False
            self.step_out_target.f_trace = self.trace_dispatch
            self.step_out_target = None
        send({"event": "stopped", "body": self.snapshot(reason, exception)})
        self.pause_requested = False
        self.hit_ids = []
        try:
            self.answer_requests(frame)
        finally:
            self.interacting = False

    def answer_requests(self, frame):
        while True:
            request = self.requests.get()
            command, arguments = request.get("command"), request.get("arguments") or {}
            try:
                if command in ("continue", "next", "stepIn", "stepOut"):
                    send({"id": request["id"], "body": {}})
                    top = self.frames[0] if self.frames else frame
                    if command == "continue":
                        self.set_continue()
                    elif command == "next":
                        self.set_next(top)
                    elif command == "stepIn":
                        self.set_step()
                    else:
                        self.step_out(top)
                    return
                body = self.handle(command, arguments)
                send({"id": request["id"], "body": body})
            except EvaluationTimeout:
                send({"id": request["id"], "error": {"code": "evaluation_timeout", "message": "timeout"}})
            except Exception as error:
                send({"id": request["id"], "error": {"code": "invalid_request", "message": f"{type(error).__name__}: {error}"}})

    def frame_line(self, frame):
        return self.line_of.get(id(frame), frame.f_lineno)

    def snapshot(self, reason, exception):
        top = self.frames[0] if self.frames else None
        locals_list = self.variables_of(self.scope_items(top)) if top else []
        body = {
            "reason": reason,
            "location": {
                "file": self.canonic(top.f_code.co_filename) if top else "",
                "line": self.frame_line(top) if top else 0,
                "column": 1,
                "function": top.f_code.co_name if top else "",
            },
            "locals": locals_list[:LOCALS_LIMIT],
            "localsTruncated": len(locals_list) > LOCALS_LIMIT,
            "callStack": [
                {"id": index, "name": f.f_code.co_name, "file": self.canonic(f.f_code.co_filename), "line": self.frame_line(f), "column": 1}
                for index, f in enumerate(self.frames)
            ],
            "hitBreakpointIds": self.hit_ids or None,
        }
        if exception is not None:
            message = describe(str(exception)) if str(exception) else ""
            body["exception"] = {"type": type(exception).__name__, "message": message.strip("'\"")}
            body["description"] = f"{type(exception).__name__}: {str(exception)}"[:VALUE_LIMIT]
        return body

    def scope_items(self, frame):
        # pytest's assertion rewriting leaves @py_assert temporaries among the test's locals.
        items = [(k, v) for k, v in frame.f_locals.items() if not k.startswith("@py_")]
        if frame.f_locals is frame.f_globals:  # module level: hide the machinery
            items = [(k, v) for k, v in items if not k.startswith("__") and not isinstance(v, type(sys))]
        return list(items)

    def reference(self, value):
        if not is_expandable(value):
            return 0
        identifier = len(self.references) + 1
        self.references[identifier] = value
        return identifier

    def variables_of(self, items):
        return [
            {"name": str(name), "value": describe(value), "type": type(value).__name__, "variablesReference": self.reference(value)}
            for name, value in items
        ]

    def frame_of(self, arguments):
        frame_id = arguments.get("frameId")
        index = 0 if frame_id is None else int(frame_id)
        if index < 0 or index >= len(self.frames):
            raise ValueError(f"no frame {frame_id}; use an id from the stack trace")
        return self.frames[index]

    def handle(self, command, arguments):
        if command == "scopes":
            frame = self.frame_of(arguments)
            scopes = [{"name": "Locals", "presentationHint": "locals", "variablesReference": self.reference_scope(frame, "locals"), "expensive": False}]
            if frame.f_locals is not frame.f_globals:
                scopes.append({"name": "Globals", "variablesReference": self.reference_scope(frame, "globals"), "expensive": True})
            return {"scopes": scopes}
        if command == "variables":
            target = self.references.get(arguments["variablesReference"])
            if target is None:
                raise ValueError(f"no variables reference {arguments['variablesReference']} at this stop")
            if isinstance(target, tuple) and target[0] == "scope":
                _, frame, kind = target
                items = self.scope_items(frame) if kind == "locals" else [(k, v) for k, v in frame.f_globals.items() if not k.startswith("__")]
            else:
                items = children(target)
            start = int(arguments.get("start") or 0)
            count = min(int(arguments.get("count") or 100), 100)
            return {"variables": self.variables_of(items[start : start + count])}
        if command == "evaluate":
            frame = self.frame_of(arguments)
            value = self.evaluate(arguments["expression"], frame, float(arguments.get("timeout", 2000)) / 1000)
            return {"result": describe(value), "type": type(value).__name__, "variablesReference": self.reference(value)}
        if command == "setVariable":
            target = self.references.get(arguments["variablesReference"])
            if target is None:
                raise ValueError(f"no variables reference {arguments['variablesReference']} at this stop")
            frame = target[1] if isinstance(target, tuple) else self.frames[0]
            value = self.evaluate(arguments["value"], frame, 2.0)
            name = arguments["name"]
            if isinstance(target, tuple):
                namespace = frame.f_locals if target[2] == "locals" else frame.f_globals
                namespace[name] = value
                ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
            elif isinstance(target, dict):
                keys = [key for key in target if describe(key) == name]
                target[keys[0] if keys else name] = value
            elif isinstance(target, list):
                target[int(name)] = value
            else:
                setattr(target, name, value)
            return {"value": describe(value), "type": type(value).__name__, "variablesReference": self.reference(value)}
        if command == "stackTrace":
            return {"stackFrames": [{"id": i, "name": f.f_code.co_name, "file": self.canonic(f.f_code.co_filename), "line": self.frame_line(f)} for i, f in enumerate(self.frames)]}
        raise ValueError(f"unknown command {command}")

    def reference_scope(self, frame, kind):
        identifier = len(self.references) + 1
        self.references[identifier] = ("scope", frame, kind)
        return identifier

    def evaluate(self, expression, frame, timeout):
        def on_alarm(signum, interrupted):
            raise EvaluationTimeout()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, max(timeout, 0.001))
        try:
            try:
                code = compile(expression, "<evaluate>", "eval")
            except SyntaxError:
                exec(compile(expression, "<evaluate>", "exec"), frame.f_globals, frame.f_locals)
                ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
                return None
            return eval(code, frame.f_globals, frame.f_locals)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    # -- requests that are answered at any time (on the reader thread) ------------------------------------------
    def set_breakpoints(self, arguments):
        filename = self.canonic(arguments["file"])
        with open(filename, encoding="utf-8") as source:
            line_count = len(source.read().rstrip("\n").split("\n"))
        executable = executable_lines(filename)
        lines, results = {}, []
        for request in arguments.get("breakpoints", []):
            line = request["line"]
            if line < 1 or line > line_count:
                raise LookupError(f"Line {line} is outside {filename}, which has {line_count} lines; pick a line between 1 and {line_count}.")
            bound = min((candidate for candidate in executable if candidate >= line), default=None)
            if bound is None:
                raise LookupError(f"No code at or after line {line} of {filename}; pick a line with a statement.")
            breakpoint = Breakpoint(self.next_breakpoint_id, bound, request)
            self.next_breakpoint_id += 1
            lines[bound] = breakpoint
            result = {"id": breakpoint.id, "verified": True, "line": bound, "source": {"path": filename}}
            if bound != line:
                result["message"] = f"Line {line} has no code; the breakpoint moved to line {bound}, the nearest executable line after it."
            results.append(result)
        if lines:
            self.breakpoints[filename] = lines
        else:
            self.breakpoints.pop(filename, None)
        return {"breakpoints": results}


def read_requests(controller, requests):
    for line in os.fdopen(3, "r", encoding="utf-8"):
        request = json.loads(line)
        command = request.get("command")
        try:
            if command == "pause":
                send({"id": request["id"], "body": {}})
                # A real signal to the main thread: its handler runs between two bytecodes, even in
                # `while True: pass`, and a blocking system call (sleep, read) is interrupted for it.
                signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)
            elif command == "setBreakpoints":
                send({"id": request["id"], "body": controller.set_breakpoints(request["arguments"])})
            elif command == "setExceptionBreakpoints":
                controller.exception_filters = set(request["arguments"].get("filters", []))
                send({"id": request["id"], "body": {}})
            else:
                requests.put(request)
        except LookupError as error:
            send({"id": request["id"], "error": {"code": "breakpoint_invalid", "message": str(error)}})
        except Exception as error:
            send({"id": request["id"], "error": {"code": "invalid_request", "message": f"{type(error).__name__}: {error}"}})
    os._exit(137)  # the engine went away: never leave a paused program behind


def prepare_main(program, args):
    # The controller itself is __main__: the program gets a fresh module of that name (as under `python prog.py`).
    global controller_module
    controller_module = sys.modules["__main__"]
    main_module = types.ModuleType("__main__")
    main_module.__dict__.update({"__file__": program, "__builtins__": builtins})
    sys.modules["__main__"] = main_module
    sys.argv = [program, *args]
    sys.path[0] = os.path.dirname(program)
    with open(program, encoding="utf-8") as source:
        return compile(source.read(), program, "exec"), main_module.__dict__


def run_coverage(program, args):
    code, namespace = prepare_main(program, args)
    covered = {}

    def trace(frame, event, arg):
        filename = frame.f_code.co_filename
        if not is_user_file(filename):
            return None
        lines = covered.setdefault(os.path.abspath(filename), set())
        if frame.f_lineno:
            lines.add(frame.f_lineno)

        def local(frame, event, arg):
            if event == "line":
                lines.add(frame.f_lineno)
            return local

        return local

    exit_code = 0
    sys.settrace(trace)
    try:
        exec(code, namespace)
    except SystemExit as exit:
        exit_code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    except BaseException:
        traceback.print_exc()
        exit_code = 1
    finally:
        sys.settrace(None)
        send({"event": "coverage", "body": {"files": {f: sorted(lines) for f, lines in covered.items()}, "exitCode": exit_code}})
    return exit_code


def main():
    arguments = sys.argv[1:]
    coverage = arguments[:1] == ["--coverage"]
    if coverage:
        arguments = arguments[1:]
    else:
        send({"event": "ready", "body": {"python": sys.version.split()[0]}})
    program, args = os.path.abspath(arguments[0]), arguments[1:]
    working_directory = os.environ.pop("PLUMB_DEBUG_CWD", None)
    if working_directory:
        os.chdir(working_directory)
    if coverage:
        sys.exit(run_coverage(program, args))
    try:
        code, namespace = prepare_main(program, args)
    except SyntaxError as error:
        send({"event": "syntaxError", "body": {"message": "".join(traceback.format_exception_only(type(error), error))}})
        sys.exit(1)
    requests = queue.Queue()
    setup = json.loads(os.environ.pop("PLUMB_DEBUG_SETUP", "{}"))
    controller = Controller(requests, setup.get("stopOnEntry", False))
    controller.exception_filters = set(setup.get("exceptionFilters", []))
    for file, breakpoints in setup.get("breakpoints", {}).items():
        try:
            result = controller.set_breakpoints({"file": file, "breakpoints": breakpoints})
            send({"event": "breakpoints", "body": {"file": file, **result}})
        except LookupError as error:
            send({"event": "breakpoints", "body": {"file": file, "error": str(error)}})
    signal.signal(signal.SIGUSR1, controller.request_pause)
    threading.Thread(target=read_requests, args=(controller, requests), daemon=True).start()
    exit_code = 0
    try:
        controller.run(code, namespace)
    except SystemExit as exit:
        exit_code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    except BaseException as error:
        sys.settrace(None)
        tb = error.__traceback__
        if "uncaught" in controller.exception_filters or controller.exception_filters & {"all", "assertion"}:
            faulting, walker = tb.tb_frame, tb
            while walker is not None:  # the innermost user frame, not a library one
                if is_user_file(walker.tb_frame.f_code.co_filename):
                    faulting = walker.tb_frame
                walker = walker.tb_next
            controller.interaction(faulting, tb, "exception", error)
        traceback.print_exception(type(error), error, tb)
        exit_code = 1
    finally:
        sys.settrace(None)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exit_code)


if __name__ == "__main__":
    main()
