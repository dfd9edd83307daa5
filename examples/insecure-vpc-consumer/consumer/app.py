"""Orders stream consumer: logs each change; failed records go back to Lambda as batch item failures."""

import json


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            print(json.dumps({"event": record["eventName"], "keys": record["dynamodb"]["Keys"]}))
        except (KeyError, TypeError):
            failures.append({"itemIdentifier": record["dynamodb"]["SequenceNumber"]})
    return {"batchItemFailures": failures}
