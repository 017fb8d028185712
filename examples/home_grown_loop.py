"""A home-grown evaluation loop over one GMAI-MMBench subset, with the Python standard library only:
page the subset, fetch each image, ask the model, post the predictions as JSON Lines."""
import json
import os
import urllib.parse
import urllib.request

API = os.environ.get("GMAI_API", "http://127.0.0.1:8787")
SUBSET = os.environ["GMAI_SUBSET"]  # the subset.id of any /v1/questions response
TOKEN = os.environ.get("GMAI_TOKEN")  # needed for TEST only


def fetch(url, data=None, headers=None):
    headers = {**(headers or {}), **({"Authorization": f"Bearer {TOKEN}"} if TOKEN else {})}
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers)) as res:
        return res.read()


def model(image_bytes, prompt):
    """Your model: the image first, then the prompt; return its raw text (the letter is extracted server-side)."""
    return "A"


predictions, cursor = [], None
while True:
    query = {"subset": SUBSET, "limit": 500, **({"cursor": cursor} if cursor else {})}
    page = json.loads(fetch(f"{API}/v1/questions?{urllib.parse.urlencode(query)}"))
    for question in page["data"]:
        image = fetch(question["image"]["url"])
        predictions.append({"index": question["index"], "prediction": model(image, question["prompt"])})
    cursor = page["next_cursor"]
    if cursor is None:
        break

lines = "".join(json.dumps(p) + "\n" for p in predictions).encode()
report = json.loads(fetch(f"{API}/v1/scores?subset={SUBSET}", data=lines, headers={"Content-Type": "application/x-ndjson"}))
overall = report["overall"]
print(f"{overall['correct']}/{overall['n']} correct ({overall['accuracy']:.4f}) on subset {report['subset']['id']}")
