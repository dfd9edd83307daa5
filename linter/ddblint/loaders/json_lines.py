"""JSON decoded with the line of every object and array (policy files, `*.tf.json`, `*.tfvars.json`).

The standard library's pure-Python scanner is reused with object and array hooks that record where each
value starts, so a finding on a statement points at the statement's line. Duplicate keys are an error:
IAM keeps only one of them, silently.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner

from ddblint.model.values import HclList, HclObject

MAX_JSON_DEPTH = 100


class JsonWithLinesError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def loads_with_lines(text: str, first_line: int = 1) -> object:
    """json.loads, but objects are HclObject and arrays HclList with `.line` set (1-based, + offset)."""
    line_starts = [0]
    line_starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")

    def line_of(position: int) -> int:
        return bisect.bisect_right(line_starts, position) + first_line - 1

    depth = [0]

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        s, end = s_and_end
        depth[0] += 1
        if depth[0] > MAX_JSON_DEPTH:
            raise JsonWithLinesError(line_of(end), f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        pairs, new_end = json.decoder.JSONObject(s_and_end, strict, scan_once, None, lambda p: p, memo)
        depth[0] -= 1
        result = HclObject(line=line_of(end - 1))
        position = end
        for key, value in pairs:
            # The key's own line: keys come in order, so look for each after the previous one.
            found = s.find(json.dumps(key), position, new_end)
            key_line = line_of(found) if found >= 0 else getattr(value, "line", result.line)
            if found >= 0:
                position = found + 1
            if key in result:
                raise JsonWithLinesError(key_line, f"duplicate key {key!r} in one object (IAM keeps only one)")
            result[key] = value
            result.lines[key] = key_line
        return result, new_end

    def parse_array(s_and_end, scan_once):
        _, end = s_and_end
        depth[0] += 1
        if depth[0] > MAX_JSON_DEPTH:
            raise JsonWithLinesError(line_of(end), f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        values, new_end = json.decoder.JSONArray(s_and_end, scan_once)
        depth[0] -= 1
        return HclList(values, line=line_of(end - 1)), new_end

    decoder = json.JSONDecoder()
    decoder.parse_object = parse_object
    decoder.parse_array = parse_array
    decoder.memo = {}
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as error:
        raise JsonWithLinesError(error.lineno + first_line - 1, f"invalid JSON: {error.msg}") from None
    except RecursionError:
        raise JsonWithLinesError(first_line, "JSON nested too deeply") from None
