"""moto_server plus the few calls our Terraform tests need that moto 5.2.5 lacks.

Run it like the venv's ``moto_server`` script (same arguments, same ``moto.server.main``)::

    python tests/support/moto_server.py -H 127.0.0.1 -p 5000

Workaround, and why: moto 5.2.5 does not implement Application Auto Scaling's
``ListTagsForResource``, ``TagResource`` and ``UntagResource``. The AWS provider reads tags after it
creates an ``aws_appautoscaling_target`` and keeps retrying the "not implemented" error until its
timeout, so a PROVISIONED table from modules/table never finishes applying. This adds the three
calls on moto's Application Auto Scaling responses, keeping tags in memory per resource ARN.
Nothing else is changed; everything else is stock moto.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.server import main

_TAGS: dict[str, dict[str, str]] = defaultdict(dict)


def _list_tags_for_resource(self: ApplicationAutoScalingResponse) -> str:
    return json.dumps({"Tags": _TAGS.get(self._get_param("ResourceARN"), {})})


def _tag_resource(self: ApplicationAutoScalingResponse) -> str:
    _TAGS[self._get_param("ResourceARN")].update(self._get_param("Tags") or {})
    return "{}"


def _untag_resource(self: ApplicationAutoScalingResponse) -> str:
    tags = _TAGS[self._get_param("ResourceARN")]
    for key in self._get_param("TagKeys") or []:
        tags.pop(key, None)
    return "{}"


def install() -> None:
    for name, method in (
        ("list_tags_for_resource", _list_tags_for_resource),
        ("tag_resource", _tag_resource),
        ("untag_resource", _untag_resource),
    ):
        if not hasattr(ApplicationAutoScalingResponse, name):  # a newer moto may have its own
            setattr(ApplicationAutoScalingResponse, name, method)


if __name__ == "__main__":
    install()
    sys.exit(main())
