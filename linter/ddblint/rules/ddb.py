"""DDB00x: findings about ddblint's own input (suppression comments, module calls, paths outside the scan).

These rules have no check on the model: the pipeline reports them while it reads the input
(`ddblint.pipeline`) and applies suppressions (`ddblint.suppressions`). They are registered like every
other rule, so `ddblint rules` lists them, `ddblint explain` prints their docs and `--select`/`--ignore`,
configured severities and suppression comments treat them alike.
"""

from __future__ import annotations

from ddblint.findings import Severity
from ddblint.rules import Rule

SUPPRESSIONS_DOC = "https://github.com/ddblint/ddblint#suppressions"
SCANNED_DOC = "https://github.com/ddblint/ddblint#usage"
TERRAFORM_MODULE_SOURCES = "https://developer.hashicorp.com/terraform/language/modules/sources"
TERRAFORM_FILE_FUNCTION = "https://developer.hashicorp.com/terraform/language/functions/file"

SUPPRESSION_WITHOUT_REASON = Rule(
    id="DDB001",
    name="suppression-without-reason",
    severity=Severity.INFO,
    summary="a ddblint:ignore comment gives no reason, so it suppresses nothing",
    source_urls=(SUPPRESSIONS_DOC,),
    tags=("ddblint",),
)
UNUSED_SUPPRESSION = Rule(
    id="DDB002",
    name="unused-suppression",
    severity=Severity.INFO,
    summary="a ddblint:ignore comment names a rule that found nothing there, or an unknown rule ID",
    source_urls=(SUPPRESSIONS_DOC,),
    tags=("ddblint",),
)
MODULE_NOT_LOADED = Rule(
    id="DDB003",
    name="module-not-loaded",
    severity=Severity.INFO,
    summary="a module call could not be followed, so the resources inside it were not checked",
    source_urls=(TERRAFORM_MODULE_SOURCES,),
    tags=("ddblint", "terraform"),
)
READ_OUTSIDE_ROOT = Rule(
    id="DDB004",
    name="read-outside-root",
    severity=Severity.INFO,
    summary="a file, directory or module path resolves outside the scan boundary, so it was not read",
    source_urls=(SCANNED_DOC, TERRAFORM_FILE_FUNCTION),
    tags=("ddblint", "terraform"),
)

# The fix hint of the findings the loader reports as notes (DDB003, DDB004).
NOTE_FIXES = {
    MODULE_NOT_LOADED.id: "run `terraform init` before ddblint, or scan the module's directory too",
    READ_OUTSIDE_ROOT.id: "keep the file inside the repository (ddblint never reads outside the scan boundary), "
    "or scan a directory that contains it",
}
