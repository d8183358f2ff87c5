"""Renders chat templates with jinja2 set up exactly as Hugging Face transformers sets it up.

Reads a JSON batch on stdin: [{"template": "...", "context": {...}}, ...]
Writes a JSON list in the same order: {"output": "..."} or {"error": "...", "raised": bool, "phase": "parse"|"render"}.
"raised" is true when the template itself called raise_exception(message); "error" is then that message.
"""

import json
import sys
from datetime import datetime

import jinja2
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


class AssistantTracker(Extension):
    """transformers' {% generation %} tag; it only marks assistant text, so the body renders unchanged."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.now().strftime(format)


def make_environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[AssistantTracker, loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render(env, case):
    try:
        template = env.from_string(case["template"])
    except Exception as error:  # noqa: BLE001 - every failure is reported to the Swift side
        return {"error": str(error), "raised": False, "phase": "parse"}
    try:
        return {"output": template.render(**case["context"])}
    except RecursionError:
        return {"error": "recursion", "raised": False, "phase": "render"}
    except Exception as error:  # noqa: BLE001
        raised = type(error) is jinja2.exceptions.TemplateError
        return {"error": str(error), "raised": raised, "phase": "render"}


def main():
    env = make_environment()
    cases = json.load(sys.stdin)
    json.dump([render(env, case) for case in cases], sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
